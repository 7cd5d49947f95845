package dev.flotilla.agent.proxy;

import dev.flotilla.agent.proxy.ApplicationObjects.Node;
import dev.flotilla.agent.proxy.ApplicationObjects.Tree;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.ReconcileStatusMapper;
import dev.flotilla.agent.reconcile.health.Health;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.ResourceNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an Application's resource tree (its objects and their children, each with its health) into
 * the status it reports, so that the control plane shows the tree without asking. Bounded by {@link
 * ResourceProxyLimits#MAX_TREE_NODES}: managed objects always, children until the cap, the rest
 * counted in {@code tree_omitted}. Blocks (reads the cluster): call on a reconcile worker.
 */
public final class ResourceTrees {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceTrees.class);

  private final ApplicationReconciler reconciler;
  private final ApplicationObjects objects;

  public ResourceTrees(ApplicationReconciler reconciler) {
    this.reconciler = reconciler;
    this.objects = new ApplicationObjects(reconciler);
  }

  /** Adds the tree; a cluster that cannot be read leaves it empty (the status says why anyway). */
  public void addTo(String application, ApplicationStatus.Builder status) {
    Tree tree;
    try {
      tree = objects.read(application, ResourceProxyLimits.MAX_TREE_NODES, true);
    } catch (KubernetesClientException e) {
      LOG.debug("resource tree of {} not read: {}", application, e.getMessage());
      return;
    }
    for (Node n : tree.nodes()) {
      Health health =
          n.live() == null ? Health.MISSING : reconciler.healthAssessor().assess(n.live());
      status.addTree(
          ResourceNode.newBuilder()
              .setGroup(n.key().group())
              .setVersion(n.key().version())
              .setKind(n.key().kind())
              .setNamespace(n.key().namespace())
              .setName(n.key().name())
              .setUid(n.uid())
              .addAllParentUids(n.parentUids())
              .setHealth(health(health))
              .setHealthMessage(health.message() == null ? "" : health.message())
              .setManaged(n.managed())
              .setCreatedAtUnixMs(created(n)));
    }
    status.setTreeOmitted(tree.omitted());
  }

  private static HealthStatus health(Health h) {
    return ReconcileStatusMapper.health(h.status());
  }

  private static long created(Node n) {
    if (n.live() == null) {
      return 0;
    }
    String at = n.live().path("metadata").path("creationTimestamp").asText("");
    try {
      return at.isEmpty() ? 0 : Instant.parse(at).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
