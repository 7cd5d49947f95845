package dev.flotilla.generators;

/**
 * One AppProject that Applications of an ApplicationSet may be placed in.
 *
 * @param project the project's name; {@code default} when a template names none
 * @param location the first template field that decides it, e.g. {@code
 *     spec.generators[1].list.template.spec.project}
 */
public record TemplateProject(String project, String location) {}
