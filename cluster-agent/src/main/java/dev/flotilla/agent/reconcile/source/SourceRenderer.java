package dev.flotilla.agent.reconcile.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.render.ManifestRenderer;
import dev.flotilla.render.RenderException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every source of an Application and combines the results, with Argo CD's rules for
 * multiple sources: each source renders on its own (plain, Helm or Kustomize, as detected), a
 * source with {@code ref} and no path renders nothing and only provides files, and when two sources
 * render the same object the later source's wins (Argo CD's RepeatedResourceWarning).
 */
public final class SourceRenderer {

  private static final Logger LOG = LoggerFactory.getLogger(SourceRenderer.class);

  private final ManifestRenderer renderer;

  public SourceRenderer(ManifestRenderer renderer) {
    this.renderer = renderer;
  }

  /**
   * What the sources render, in source order.
   *
   * @param checkouts one per source of {@code app}, in order
   * @throws RenderException naming the source and the file or tool that failed
   */
  public Rendered render(AppSpec app, List<SourceCheckout> checkouts) throws RenderException {
    if (!app.isMultiSource()) {
      return new Rendered(renderer.render(app.renderRequest(), checkouts.get(0).root()), List.of());
    }
    Map<String, SourceCheckout> refs = SourceRefs.byVariable(checkouts);
    Map<String, ObjectNode> combined = new LinkedHashMap<>();
    List<String> repeated = new ArrayList<>();
    for (SourceCheckout checkout : checkouts) {
      if (checkout.source().isRefOnly()) {
        continue;
      }
      Map<String, java.nio.file.Path> refFiles = ValueFileRefs.resolve(checkout, refs);
      List<ObjectNode> objects;
      try {
        objects =
            renderer.render(
                app.withSource(checkout.source()).renderRequest(), checkout.root(), refFiles);
      } catch (RenderException e) {
        throw new RenderException(checkout.describe() + ": " + e.getMessage(), e);
      }
      for (ObjectNode object : objects) {
        String key = identity(object, app.destination().namespace());
        // Removed first so that the winner also takes the later source's place in the order.
        if (combined.remove(key) != null) {
          repeated.add(key + " (" + checkout.describe() + " wins)");
        }
        combined.put(key, object);
      }
    }
    if (!repeated.isEmpty()) {
      LOG.warn("application {}: rendered by several sources: {}", app.name(), repeated);
    }
    return new Rendered(List.copyOf(combined.values()), List.copyOf(repeated));
  }

  /**
   * group/kind namespace/name; an object without namespace counts as in the destination namespace,
   * where it will be applied (a cluster-scoped one has none either way).
   */
  static String identity(ObjectNode object, String destinationNamespace) {
    String apiVersion = object.path("apiVersion").asText("");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String namespace = object.path("metadata").path("namespace").asText("");
    return (group.isEmpty() ? "" : group + "/")
        + object.path("kind").asText("")
        + " "
        + (namespace.isEmpty() ? destinationNamespace : namespace)
        + "/"
        + object.path("metadata").path("name").asText("");
  }

  /**
   * @param objects what the sources render, combined
   * @param repeated objects more than one source rendered, each named with the source that won
   */
  public record Rendered(List<ObjectNode> objects, List<String> repeated) {}
}
