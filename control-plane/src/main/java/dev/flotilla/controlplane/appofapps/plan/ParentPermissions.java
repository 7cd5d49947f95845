package dev.flotilla.controlplane.appofapps.plan;

import java.util.Optional;

/**
 * The parent project's verdict on creating an object of one child kind, from its resource rules.
 */
@FunctionalInterface
public interface ParentPermissions {

  /** Why the parent's project may not create a {@code kind}, or empty when it may. */
  Optional<String> violation(ChildKind kind);
}
