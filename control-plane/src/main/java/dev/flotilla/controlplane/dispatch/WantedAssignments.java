package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.core.model.ApplicationSpec;
import dev.flotilla.proto.AgentLimits;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.RepositoryCredentials;
import dev.flotilla.proto.agent.v1.ResourceRules;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one cluster's agent should hold now: the assignments of its Applications that pass their
 * project's policies and fit in a message, the names held back, and the credentials of the
 * repositories the assignments read. Read from the store, or from a read for many agents ({@link
 * ResyncPrefetch}); only touched from the session's serialised chain.
 */
final class WantedAssignments {

  private static final Logger LOG = LoggerFactory.getLogger(WantedAssignments.class);

  /**
   * What the cluster should hold now, the names held back (their resources must stay), and the
   * credentials of the repositories the assignments read.
   */
  record Wanted(
      Map<String, Assignment> assignments,
      Set<String> blocked,
      RepositoryCredentials credentials,
      Set<String> repositories) {}

  private final String cluster;
  private final ProjectGate projects;
  private final ClusterRepository clusters;
  private final Clock clock;
  private final ClusterApplications assigned;
  private final SessionCredentials credentials;

  /** Read by the first snapshot; only touched from the serialised chain. */
  private String server;

  WantedAssignments(
      String cluster,
      ClusterApplications assigned,
      ProjectGate projects,
      ClusterRepository clusters,
      SessionCredentials credentials,
      Clock clock) {
    this.cluster = cluster;
    this.assigned = assigned;
    this.projects = projects;
    this.clusters = clusters;
    this.credentials = credentials;
    this.clock = clock;
  }

  /** From reads of its own. */
  Future<Wanted> read() {
    return server()
        .compose(
            server ->
                projects.load().compose(policies -> wanted(policies, server, assigned.current())))
        .compose(this::withCredentials);
  }

  /** The same from what a read for many agents found, when recent enough (else as above). */
  Future<Wanted> read(Future<Prefetched> prefetched) {
    return prefetched.transform(
        ar -> {
          Prefetched p = ar.succeeded() ? ar.result() : null;
          if (p == null || !assigned.accepts(p)) {
            return read();
          }
          return server()
              .compose(server -> wanted(p.policies(), server, assigned.current(p)))
              .compose(this::withCredentials);
        });
  }

  /** Name to generation of the Applications last read; from any thread. */
  Map<String, Long> generationsHeld() {
    return assigned.generationsHeld();
  }

  /**
   * The cluster's server URL, for project destinations given by server rather than by name: read
   * once per session (a cluster's server never changes; removing the cluster ends the session), so
   * that a resync of every agent after a commit costs no cluster read per agent.
   */
  private Future<String> server() {
    if (server != null) {
      return Future.succeededFuture(server);
    }
    return clusters
        .get(cluster)
        .map(c -> c.map(Cluster::server).orElse(""))
        .onSuccess(found -> server = found);
  }

  private Future<Wanted> withCredentials(Wanted wanted) {
    return credentials
        .resolve(wanted.repositories())
        .map(set -> new Wanted(wanted.assignments(), wanted.blocked(), set, wanted.repositories()));
  }

  private Future<Wanted> wanted(
      ProjectGate.Policies policies, String server, Future<List<ClusterApplications.Known>> read) {
    return read.map(
        apps -> {
          Map<String, Assignment> ok = new TreeMap<>();
          Set<String> blocked = new HashSet<>();
          Map<String, ResourceRules> rules = new HashMap<>();
          List<ApplicationSpec> specs = new ArrayList<>();
          Instant now = clock.instant();
          for (ClusterApplications.Known known : apps) {
            StoredApplication a = known.app();
            // Checked again at dispatch: a project narrowed since generation wins.
            if (a.dispatchError() == null
                && known.placement() != null
                && policies.violation(known.placement()).isEmpty()) {
              Optional<String> closed = policies.autoSyncBlock(a, now);
              Assignment assignment =
                  known.base().toBuilder()
                      .setResourceRules(
                          rules.computeIfAbsent(
                              a.project(), p -> policies.resourceRules(p, server, cluster)))
                      .setAutoSyncBlocked(closed.isPresent())
                      .setAutoSyncBlockedReason(closed.orElse(""))
                      .build();
              if (fitsInOneMessage(assignment)) {
                ok.put(a.name(), assignment);
                specs.add(a.application().spec());
              } else {
                blocked.add(a.name());
              }
            } else {
              blocked.add(a.name());
            }
          }
          return new Wanted(ok, blocked, null, AgentCredentials.repositories(specs));
        });
  }

  /**
   * Whether an assignment fits in one message the agent accepts. Generation refuses larger
   * Applications, so only one stored before that bound (or a huge AppProject) gets here: sending it
   * would break the agent's stream on every attempt, so it is held back, with an error in the log.
   */
  private boolean fitsInOneMessage(Assignment a) {
    int size = a.getSerializedSize();
    if (size <= AgentLimits.MAX_MESSAGE_BYTES - AgentSession.MESSAGE_HEADROOM) {
      return true;
    }
    LOG.error(
        "Application '{}' is {} bytes, more than an agent accepts in one message ({} bytes); it is"
            + " not sent to cluster '{}' (shrink the Application; generation refuses more than {}"
            + " bytes)",
        a.getName(),
        size,
        AgentLimits.MAX_MESSAGE_BYTES - AgentSession.MESSAGE_HEADROOM,
        cluster,
        AgentLimits.MAX_APPLICATION_BYTES);
    return false;
  }
}
