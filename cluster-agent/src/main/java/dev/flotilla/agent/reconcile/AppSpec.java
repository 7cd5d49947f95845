package dev.flotilla.agent.reconcile;

/**
 * The parts of an Argo CD Application spec the agent acts on, parsed from the assignment's JSON.
 * (Placeholder: the reconcile engine owns and completes this model.)
 */
public record AppSpec(String name, String project, String specJson) {}
