package dev.flotilla.controlplane.metrics;

import java.util.List;

/**
 * What the fleet looks like at one moment, read from Postgres in one go: everything the
 * state-derived metrics ({@code argocd_app_info}, {@code argocd_cluster_info}, {@code
 * argocd_appset_info}, drift and dispatch) are made of. Scrapes read the last one; none queries.
 *
 * @param driftOpen drifted objects whose newest drift self-heal has not reverted
 * @param driftHeals drift events self-heal reverted, all time (as stored; never decreases while the
 *     rows live)
 * @param pendingAssignments Applications on connected clusters whose agent has not acknowledged the
 *     current generation
 * @param oldestPendingSeconds how long the oldest of those has waited; 0 when none
 */
public record FleetSnapshot(
    List<App> applications,
    List<Cluster> clusters,
    List<AppSet> applicationSets,
    long driftOpen,
    long driftHeals,
    long pendingAssignments,
    double oldestPendingSeconds) {

  public static final FleetSnapshot EMPTY =
      new FleetSnapshot(List.of(), List.of(), List.of(), 0, 0, 0, 0);

  public FleetSnapshot {
    applications = List.copyOf(applications);
    clusters = List.copyOf(clusters);
    applicationSets = List.copyOf(applicationSets);
  }

  /**
   * One Application with Argo CD's {@code argocd_app_info} labels.
   *
   * @param operation "sync" while the current generation is dispatched but not yet reported by its
   *     agent, else empty (Argo CD: the running operation)
   */
  public record App(
      String name,
      String namespace,
      String project,
      String destServer,
      String destNamespace,
      String repo,
      String syncStatus,
      String healthStatus,
      boolean autoSync,
      String operation) {

    /** Needs attention: shown first when the series cap cuts the list. */
    boolean troubled() {
      return !"Synced".equals(syncStatus) || !"Healthy".equals(healthStatus);
    }
  }

  /** A registered cluster; {@code connected} when its agent holds a stream. */
  public record Cluster(String name, String server, String agentVersion, boolean connected) {}

  /**
   * An ApplicationSet; {@code resourceUpdateStatus} is its ResourcesUpToDate condition's status
   * (True, False, Unknown), as Argo CD's {@code argocd_appset_info} reports it.
   */
  public record AppSet(String name, String namespace, String resourceUpdateStatus) {}
}
