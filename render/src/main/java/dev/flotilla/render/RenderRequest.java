package dev.flotilla.render;

/**
 * What one render needs to know of an Application.
 *
 * @param name the Application's name (Helm's default release name)
 * @param source where the manifests come from
 * @param namespace the destination namespace (Helm's {@code .Release.Namespace})
 */
public record RenderRequest(String name, RenderSource source, String namespace) {}
