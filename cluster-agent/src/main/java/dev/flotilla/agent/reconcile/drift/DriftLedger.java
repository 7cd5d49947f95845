package dev.flotilla.agent.reconcile.drift;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The open drift entries of every Application: drift is a state, not a log of events. An entry
 * opens when an object is first observed different from Git and closes when it is observed equal
 * again; observations in between (a status write, a second edit before anything put it right) only
 * refresh what differs. So each transition from equal to different is one occurrence, reported with
 * the time it was first observed and, once over, when and by what it ended.
 *
 * <p>Pure bookkeeping, no I/O: the watcher decides what it observed. Thread-safe; the listener is
 * told of every change under the ledger's lock, so the reports of one occurrence go out in order.
 */
final class DriftLedger {

  /**
   * @param drift the occurrence as reported last
   * @param liveVersion the resourceVersion of the live object when last seen different (null when
   *     absent): equal to it at the close means nothing wrote the object, so Git moved instead
   */
  record Entry(Drift drift, String liveVersion) {}

  private final DriftListener listener;
  private final Map<String, Map<ObjectKey, Entry>> open = new HashMap<>();

  DriftLedger(DriftListener listener) {
    this.listener = listener;
  }

  /**
   * {@code key} was observed different from Git at {@code at}: opens an entry unless one is open,
   * else refreshes it. Reports only what is new: an opening, or a change of what differs.
   *
   * @return whether anything was reported
   */
  synchronized boolean differs(
      String application,
      ObjectKey key,
      Instant at,
      DriftKind kind,
      String change,
      List<FieldDiff> fields,
      String liveVersion) {
    Map<ObjectKey, Entry> entries = open.computeIfAbsent(application, a -> new HashMap<>());
    Entry before = entries.get(key);
    if (before == null) {
      Drift opened = Drift.open(application, key, kind, change, fields, at);
      entries.put(key, new Entry(opened, liveVersion));
      listener.onDrift(opened);
      return true;
    }
    Drift was = before.drift();
    // Once live was changed by hand the occurrence stays drift, whatever Git does meanwhile.
    DriftKind now = was.kind() == DriftKind.DRIFT ? DriftKind.DRIFT : kind;
    Drift refreshed = Drift.open(application, key, now, change, fields, was.detectedAt());
    entries.put(key, new Entry(refreshed, liveVersion));
    if (refreshed.equals(was)) {
      return false;
    }
    listener.onDrift(refreshed);
    return true;
  }

  /** {@code key} was observed equal to Git at {@code at}: closes its entry, if open. */
  synchronized Optional<Drift> equal(String application, ObjectKey key, Instant at, HealedBy by) {
    Map<ObjectKey, Entry> entries = open.get(application);
    Entry entry = entries == null ? null : entries.remove(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (entries.isEmpty()) {
      open.remove(application);
    }
    Drift closed = entry.drift().closed(at, by);
    listener.onDrift(closed);
    return Optional.of(closed);
  }

  synchronized Optional<Entry> entry(String application, ObjectKey key) {
    Map<ObjectKey, Entry> entries = open.get(application);
    return Optional.ofNullable(entries == null ? null : entries.get(key));
  }

  /** The objects of {@code application} with an open entry. */
  synchronized Set<ObjectKey> openObjects(String application) {
    Map<ObjectKey, Entry> entries = open.get(application);
    return entries == null ? Set.of() : Set.copyOf(entries.keySet());
  }

  /** Every open entry, for tests and the agent's own view. */
  synchronized List<Drift> openEntries() {
    return open.values().stream().flatMap(m -> m.values().stream()).map(Entry::drift).toList();
  }

  /** Drops what is known of an Application the agent no longer manages (nothing is reported). */
  synchronized void forget(String application) {
    open.remove(application);
  }
}
