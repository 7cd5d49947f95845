package dev.flotilla.controlplane.appset.plan;

import dev.flotilla.generators.GeneratedApplication;
import java.util.Optional;

/**
 * The AppProject verdict on a generated Application: why it may not be deployed under its project,
 * or empty when it may. The control plane answers from a snapshot of every project's policy ({@code
 * ProjectGate.Policies}), so the answer never changes during one plan.
 */
@FunctionalInterface
public interface ProjectVerdicts {

  Optional<String> violation(GeneratedApplication app);
}
