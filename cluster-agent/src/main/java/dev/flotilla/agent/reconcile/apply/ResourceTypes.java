package dev.flotilla.agent.reconcile.apply;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows, per group/version/kind, the plural resource name and whether it is namespaced: from
 * fabric8's built-in model for the core kinds (no API call, so it works against the mock server,
 * which serves no discovery), and from API discovery for custom resources.
 */
public final class ResourceTypes {

  private final KubernetesClient client;
  private final Map<ObjectType, ResourceDefinitionContext> cache = new ConcurrentHashMap<>();

  public ResourceTypes(KubernetesClient client) {
    this.client = client;
  }

  public ResourceDefinitionContext context(ObjectType type) {
    return cache.computeIfAbsent(type, this::resolve);
  }

  public boolean namespaced(ObjectType type) {
    return context(type).isNamespaceScoped();
  }

  private ResourceDefinitionContext resolve(ObjectType type) {
    Class<? extends KubernetesResource> known =
        client
            .getKubernetesSerialization()
            .getRegisteredKubernetesResource(type.apiVersion(), type.kind());
    if (known != null
        && io.fabric8.kubernetes.api.model.HasMetadata.class.isAssignableFrom(known)) {
      return ResourceDefinitionContext.fromResourceType(known);
    }
    try {
      APIResourceList resources = client.getApiResources(type.apiVersion());
      if (resources != null) {
        for (APIResource r : resources.getResources()) {
          if (type.kind().equals(r.getKind()) && !r.getName().contains("/")) {
            return ResourceDefinitionContext.fromApiResource(type.apiVersion(), r);
          }
        }
      }
    } catch (RuntimeException e) {
      // No discovery (the mock server) or no permission: fall back to Kubernetes' naming
      // convention.
    }
    return new ResourceDefinitionContext.Builder()
        .withGroup(type.group())
        .withVersion(type.version())
        .withKind(type.kind())
        .withPlural(guessPlural(type.kind()))
        .withNamespaced(true)
        .build();
  }

  static String guessPlural(String kind) {
    String k = kind.toLowerCase(Locale.ROOT);
    if (k.endsWith("s") || k.endsWith("x") || k.endsWith("ch") || k.endsWith("sh")) {
      return k + "es";
    }
    if (k.endsWith("y") && k.length() > 1 && "aeiou".indexOf(k.charAt(k.length() - 2)) < 0) {
      return k.substring(0, k.length() - 1) + "ies";
    }
    return k + "s";
  }
}
