package dev.flotilla.controlplane.replica;

import java.util.List;
import java.util.Locale;

/**
 * What one replica tells the others through {@code replica_events}. Each replica acts only on what
 * concerns it (the agents connected to it, its own watchers); an event of a kind it does not know
 * (from a newer version during a rolling upgrade) is skipped.
 *
 * @param clusters the clusters concerned (resync, sync, refresh, terminate, disconnect)
 * @param names the Applications concerned
 * @param detail a revision to sync to, or why an agent is disconnected
 */
public record ReplicaEvent(Kind kind, List<String> clusters, List<String> names, String detail) {

  /** The kinds of events; stored by name, so new kinds can be added (never renamed). */
  public enum Kind {
    /** The assignments of these clusters may have changed: their agents re-read the store. */
    RESYNC,
    /** The agent of {@code clusters[0]} syncs {@code names[0]} to {@code detail} now. */
    SYNC,
    /** The agent of {@code clusters[0]} re-reads Git and its cluster for {@code names[0]}. */
    REFRESH,
    /** The agent of {@code clusters[0]} stops the sync operation of {@code names[0]}. */
    TERMINATE,
    /** The agent of {@code clusters[0]} is disconnected (token revoked, cluster removed). */
    DISCONNECT,
    /** These Applications changed (spec or status): watchers re-read them. */
    APPLICATIONS_CHANGED,
    /** A webhook arrived: the replica running the Git poller polls now. */
    POLL,
    /** Every agent re-reads the store (an AppProject changed: rules and windows of any cluster). */
    RESYNC_ALL,
    /**
     * Drift was stored for {@code names[0]} on {@code clusters[0]}: {@code detail} is the object.
     */
    DRIFT,
    /**
     * The agent of {@code clusters[0]} answers the resource request {@code detail} (base64 of the
     * protobuf) for the replica that asked, through {@code resource_relay}.
     */
    RESOURCE_REQUEST,
    /** The agent of {@code clusters[0]} stops answering the resource request {@code detail}. */
    RESOURCE_CANCEL,
    /** Stored repository credentials were added or removed: every replica reloads them. */
    CREDENTIALS_CHANGED;

    static Kind parse(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  public ReplicaEvent {
    clusters = List.copyOf(clusters);
    names = List.copyOf(names);
  }

  public static ReplicaEvent resync(List<String> clusters) {
    return new ReplicaEvent(Kind.RESYNC, clusters, List.of(), null);
  }

  public static ReplicaEvent resyncAll() {
    return new ReplicaEvent(Kind.RESYNC_ALL, List.of(), List.of(), null);
  }

  public static ReplicaEvent forAgent(
      Kind kind, String cluster, String application, String detail) {
    return new ReplicaEvent(
        kind, List.of(cluster), application == null ? List.of() : List.of(application), detail);
  }

  public static ReplicaEvent applicationsChanged(List<String> names) {
    return new ReplicaEvent(Kind.APPLICATIONS_CHANGED, List.of(), names, null);
  }

  public static ReplicaEvent credentialsChanged() {
    return new ReplicaEvent(Kind.CREDENTIALS_CHANGED, List.of(), List.of(), null);
  }

  public static ReplicaEvent poll() {
    return new ReplicaEvent(Kind.POLL, List.of(), List.of(), null);
  }

  /**
   * An event as read back: its place in the log, whether this replica wrote it, how many
   * milliseconds before the read it was written, and the event.
   */
  public record Stored(long seq, boolean own, long ageMillis, ReplicaEvent event) {}
}
