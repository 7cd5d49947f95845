package dev.flotilla.controlplane.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.identity.Names;
import dev.flotilla.core.model.ApplicationManifest;
import dev.flotilla.core.model.DestinationCluster;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/** The pure steps of {@link ApplicationManifests}: reading manifests and what to store. */
final class ManifestDocuments {

  private ManifestDocuments() {}

  /** A manifest (or a merge patch) sent as text, YAML or JSON, through the bounded YAML loader. */
  static JsonObject parseText(String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.invalid("empty document: send an Application manifest as YAML or JSON");
    }
    ApiException.requireSize("document", text);
    JsonNode tree;
    try {
      tree = new BoundedYaml(ApiException.MAX_DOCUMENT_BYTES).read(text);
    } catch (YamlException e) {
      throw ApiException.invalid("document is not valid YAML or JSON: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw ApiException.invalid("document: must be an object (an Application manifest)");
    }
    return new JsonObject(tree.toString());
  }

  /** Checks a manifest: Argo CD's fields and types, and a DNS-1123 name. */
  static ApplicationManifest parse(JsonObject manifest) {
    if (manifest == null) {
      throw ApiException.invalid("empty body: send an Application manifest as YAML or JSON");
    }
    ApiException.requireSize("manifest", manifest.encode());
    ApplicationManifest m;
    try {
      m = ApplicationManifest.read(manifest.mapTo(ObjectNode.class));
      Names.requireDnsSubdomain("metadata.name", m.name());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    return m;
  }

  static StoredApplication toStored(
      ApplicationManifest m, StoredApplication old, List<Cluster> registered) {
    JsonObject document = new JsonObject(m.document().toString());
    var destination = m.application().spec().destination();
    String cluster =
        DestinationCluster.resolve(
                registered,
                Cluster::name,
                Cluster::server,
                destination.name(),
                destination.server())
            .map(Cluster::name)
            .orElse(null);
    String dispatchError =
        cluster == null
            ? "destination cluster '"
                + (destination.name() == null || destination.name().isEmpty()
                    ? destination.server()
                    : destination.name())
                + "' is not registered (see `flotilla cluster list`; "
                + DestinationCluster.IN_CLUSTER_SERVER
                + " means the cluster registered as '"
                + DestinationCluster.IN_CLUSTER_NAME
                + "')"
            : null;
    StoredApplication draft =
        new StoredApplication(
            m.name(),
            null,
            m.application().project(),
            cluster,
            document,
            "",
            0,
            dispatchError,
            m.hasResourcesFinalizer());
    // The resolved commit stays while the source does: the poller moves it when Git does.
    String revision =
        old != null
                && old.repoUrl().equals(draft.repoUrl())
                && old.targetRevision().equals(draft.targetRevision())
            ? old.revision()
            : "";
    return new StoredApplication(
        draft.name(),
        null,
        draft.project(),
        cluster,
        document,
        revision,
        0,
        dispatchError,
        draft.deleteResourcesOnRemoval());
  }

  static String object(StoredApplication app) {
    return Guard.inProject(app.project(), app.name());
  }

  static boolean sameContent(StoredApplication a, StoredApplication b) {
    return Objects.equals(a.document(), b.document())
        && Objects.equals(a.project(), b.project())
        && Objects.equals(a.cluster(), b.cluster())
        && Objects.equals(a.dispatchError(), b.dispatchError())
        && a.deleteResourcesOnRemoval() == b.deleteResourcesOnRemoval();
  }

  /** The document with the resources finalizer present or absent, as Argo CD's delete sets it. */
  static JsonObject withFinalizer(JsonObject document, boolean present) {
    JsonObject copy = document.copy();
    JsonObject metadata = copy.getJsonObject("metadata", new JsonObject());
    JsonArray finalizers = metadata.getJsonArray("finalizers", new JsonArray()).copy();
    finalizers.remove(ApplicationManifest.RESOURCES_FINALIZER);
    if (present) {
      finalizers.add(ApplicationManifest.RESOURCES_FINALIZER);
    }
    if (finalizers.isEmpty()) {
      metadata.remove("finalizers");
    } else {
      metadata.put("finalizers", finalizers);
    }
    copy.put("metadata", metadata);
    return copy;
  }
}
