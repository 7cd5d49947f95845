package dev.flotilla.agent.reconcile.render;

import java.util.List;

/**
 * What {@link HelmRenderer} asks of {@link HelmTemplateMain}, sent as JSON on the child's stdin
 * (not its command line, which every user of the host can read).
 *
 * @param library path of helm-java's native Helm library, extracted once by the agent
 * @param chart the chart directory
 * @param valuesFiles value files in order, later ones winning
 * @param parameters {@code --set} parameters in order, winning over every value file
 */
record HelmTemplateRequest(
    String library,
    String chart,
    String releaseName,
    String namespace,
    List<String> valuesFiles,
    List<Parameter> parameters) {

  record Parameter(String name, String value) {}
}
