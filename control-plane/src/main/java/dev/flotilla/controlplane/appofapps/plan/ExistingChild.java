package dev.flotilla.controlplane.appofapps.plan;

/**
 * A child the parent owns now.
 *
 * @param declared the digest of the declaration the parent last stored for it; empty when unknown
 *     (then the next declaration updates it)
 */
public record ExistingChild(ChildKey key, String declared) {}
