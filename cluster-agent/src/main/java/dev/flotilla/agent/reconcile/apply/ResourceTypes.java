package dev.flotilla.agent.reconcile.apply;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Every type the API server serves that holds at least one object with {@code label=value}, found
   * by discovery (one small LIST per served type). Empty where there is no discovery (the mock
   * server). Used once after a start to find kinds the agent managed before it restarted, such as
   * custom resources, so that they can still be pruned.
   */
  public List<ObjectType> discoverTypesHolding(String label, String value) {
    List<ObjectType> found = new ArrayList<>();
    List<String> groupVersions = new ArrayList<>(List.of("v1"));
    try {
      APIGroupList groups = client.getApiGroups();
      if (groups != null) {
        for (APIGroup g : groups.getGroups()) {
          if (g.getPreferredVersion() != null) {
            groupVersions.add(g.getPreferredVersion().getGroupVersion());
          }
        }
      }
    } catch (RuntimeException e) {
      return found;
    }
    for (String gv : groupVersions) {
      APIResourceList resources;
      try {
        resources = client.getApiResources(gv);
      } catch (RuntimeException e) {
        continue;
      }
      if (resources == null) {
        continue;
      }
      for (APIResource r : resources.getResources()) {
        if (r.getName().contains("/") || r.getVerbs() == null || !r.getVerbs().contains("list")) {
          continue;
        }
        ObjectType type = ObjectType.of(gv, r.getKind());
        ResourceDefinitionContext ctx = ResourceDefinitionContext.fromApiResource(gv, r);
        cache.putIfAbsent(type, ctx);
        try {
          var op = client.genericKubernetesResources(ctx);
          var list =
              (ctx.isNamespaceScoped() ? op.inAnyNamespace() : op)
                  .withLabel(label, value)
                  .list(new ListOptionsBuilder().withLimit(1L).build());
          if (!list.getItems().isEmpty()) {
            found.add(type);
          }
        } catch (RuntimeException e) {
          // Not allowed to list it, or it went away: the agent cannot have managed it then.
        }
      }
    }
    return found;
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
