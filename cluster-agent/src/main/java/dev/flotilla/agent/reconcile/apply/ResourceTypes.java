package dev.flotilla.agent.reconcile.apply;

import dev.flotilla.core.project.ResourcePermissions.Scope;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows, per group/version/kind, the plural resource name and whether it is namespaced, trying in
 * turn: fabric8's built-in model for the core kinds (no API call, so it works against the mock
 * server, which serves no discovery); API discovery; the cluster's CustomResourceDefinitions (which
 * the mock server does keep); and a table of well-known Kubernetes kinds by group and kind, for
 * versions the model does not have. A kind none of them knows is guessed namespaced for applying,
 * but its {@link #scope} is {@link Scope#UNKNOWN}, so that project rules are never checked against
 * a guess.
 */
public final class ResourceTypes {

  /** Built-in kinds by "group/kind": true when namespaced, false when cluster-scoped. */
  private static final Map<String, Boolean> WELL_KNOWN = wellKnown();

  private final KubernetesClient client;
  private final Map<ObjectType, ResourceDefinitionContext> cache = new ConcurrentHashMap<>();
  private final Set<ObjectType> guessed = ConcurrentHashMap.newKeySet();

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

  /**
   * Whether the kind is cluster-scoped or namespaced, or {@link Scope#UNKNOWN} when nothing but a
   * guess is available. A kind guessed earlier is looked up again, since its
   * CustomResourceDefinition may have been created since.
   */
  public Scope scope(ObjectType type) {
    ResourceDefinitionContext ctx = context(type);
    if (guessed.contains(type)) {
      ResourceDefinitionContext known = resolveKnown(type);
      if (known == null) {
        return Scope.UNKNOWN;
      }
      cache.put(type, known);
      guessed.remove(type);
      ctx = known;
    }
    return ctx.isNamespaceScoped() ? Scope.NAMESPACED : Scope.CLUSTER;
  }

  private ResourceDefinitionContext resolve(ObjectType type) {
    ResourceDefinitionContext known = resolveKnown(type);
    if (known != null) {
      return known;
    }
    guessed.add(type);
    return new ResourceDefinitionContext.Builder()
        .withGroup(type.group())
        .withVersion(type.version())
        .withKind(type.kind())
        .withPlural(guessPlural(type.kind()))
        .withNamespaced(true)
        .build();
  }

  /** The type's definition from a source that knows it, or null. */
  private ResourceDefinitionContext resolveKnown(ObjectType type) {
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
      // No discovery (the mock server) or no permission: try the other sources.
    }
    Boolean builtIn = WELL_KNOWN.get(type.group() + "/" + type.kind());
    if (builtIn != null) {
      return context(type, guessPlural(type.kind()), builtIn);
    }
    return type.group().isEmpty() ? null : fromCustomResourceDefinition(type);
  }

  private ResourceDefinitionContext fromCustomResourceDefinition(ObjectType type) {
    try {
      for (CustomResourceDefinition crd :
          client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
        var spec = crd.getSpec();
        if (spec != null
            && spec.getNames() != null
            && type.group().equals(spec.getGroup())
            && type.kind().equals(spec.getNames().getKind())) {
          return context(type, spec.getNames().getPlural(), !"Cluster".equals(spec.getScope()));
        }
      }
    } catch (RuntimeException e) {
      // Not allowed to read CustomResourceDefinitions: the scope stays unknown.
    }
    return null;
  }

  private static ResourceDefinitionContext context(
      ObjectType type, String plural, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(type.group())
        .withVersion(type.version())
        .withKind(type.kind())
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  private static Map<String, Boolean> wellKnown() {
    Map<String, Boolean> m = new HashMap<>();
    String[] cluster = {
      "/Namespace",
      "/Node",
      "/PersistentVolume",
      "/ComponentStatus",
      "rbac.authorization.k8s.io/ClusterRole",
      "rbac.authorization.k8s.io/ClusterRoleBinding",
      "apiextensions.k8s.io/CustomResourceDefinition",
      "apiregistration.k8s.io/APIService",
      "admissionregistration.k8s.io/MutatingWebhookConfiguration",
      "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
      "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
      "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
      "admissionregistration.k8s.io/MutatingAdmissionPolicy",
      "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
      "storage.k8s.io/StorageClass",
      "storage.k8s.io/CSIDriver",
      "storage.k8s.io/CSINode",
      "storage.k8s.io/VolumeAttachment",
      "storage.k8s.io/VolumeAttributesClass",
      "scheduling.k8s.io/PriorityClass",
      "node.k8s.io/RuntimeClass",
      "policy/PodSecurityPolicy",
      "networking.k8s.io/IngressClass",
      "networking.k8s.io/IPAddress",
      "networking.k8s.io/ServiceCIDR",
      "certificates.k8s.io/CertificateSigningRequest",
      "certificates.k8s.io/ClusterTrustBundle",
      "flowcontrol.apiserver.k8s.io/FlowSchema",
      "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
      "resource.k8s.io/DeviceClass",
      "resource.k8s.io/ResourceSlice"
    };
    String[] namespaced = {
      "/ConfigMap",
      "/Secret",
      "/Service",
      "/ServiceAccount",
      "/Pod",
      "/PersistentVolumeClaim",
      "/ResourceQuota",
      "/LimitRange",
      "/Endpoints",
      "/Event",
      "/ReplicationController",
      "/PodTemplate",
      "apps/Deployment",
      "apps/StatefulSet",
      "apps/DaemonSet",
      "apps/ReplicaSet",
      "apps/ControllerRevision",
      "batch/Job",
      "batch/CronJob",
      "networking.k8s.io/Ingress",
      "networking.k8s.io/NetworkPolicy",
      "rbac.authorization.k8s.io/Role",
      "rbac.authorization.k8s.io/RoleBinding",
      "autoscaling/HorizontalPodAutoscaler",
      "policy/PodDisruptionBudget",
      "coordination.k8s.io/Lease",
      "discovery.k8s.io/EndpointSlice",
      "events.k8s.io/Event",
      "extensions/Deployment",
      "extensions/DaemonSet",
      "extensions/ReplicaSet",
      "extensions/Ingress",
      "extensions/NetworkPolicy"
    };
    for (String k : cluster) {
      m.put(k, false);
    }
    for (String k : namespaced) {
      m.put(k, true);
    }
    return Map.copyOf(m);
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
