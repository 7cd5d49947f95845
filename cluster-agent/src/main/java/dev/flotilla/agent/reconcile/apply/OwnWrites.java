package dev.flotilla.agent.reconcile.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent's own last write of each object returned, so that a watch cache that lags behind
 * that write (or has delivered it and nothing since) costs no read of the API server. Per object:
 * the resourceVersion the write replaced and the object the API server answered with. An object
 * cached at the answer's resourceVersion is current; one cached at exactly the replaced
 * resourceVersion is our write not delivered yet, and the answer stands for it. Anything else
 * (someone else's write, an unknown version, nothing remembered) is not vouched for.
 *
 * <p>resourceVersions are opaque: compared for equality only. Writes of one object that overlap (a
 * self-heal racing a sync) leave nothing remembered, as their order on the server is unknown; a
 * failed write or a delete forgets. Entries are kept for the objects of the Applications the agent
 * holds only ({@link #retain}, {@link #forgetApplication}). Thread-safe: every change of an entry
 * is atomic per object.
 */
public final class OwnWrites {

  /** One object's last own write: {@code replaced} is null for a create. */
  private record Remembered(String app, String replaced, String written, ObjectNode answer) {}

  /** Writes of one object in flight, whether two overlapped, and what the last one returned. */
  private record Slot(int inFlight, boolean overlapped, Remembered remembered) {
    Slot {
      // Nothing remembered can survive an overlap: which write the server took last is unknown.
      remembered = overlapped ? null : remembered;
    }
  }

  private final ConcurrentHashMap<ObjectKey, Slot> slots = new ConcurrentHashMap<>();
  // Which objects each Application has written, so that retain costs its own objects only.
  private final ConcurrentHashMap<String, Set<ObjectKey>> keysByApp = new ConcurrentHashMap<>();

  /** A write of {@code key} starts; every start is followed by exactly one end. */
  void begin(ObjectKey key) {
    slots.compute(
        key,
        (k, s) ->
            s == null
                ? new Slot(1, false, null)
                : new Slot(s.inFlight() + 1, s.inFlight() > 0, s.remembered()));
  }

  /**
   * The write of {@code key} ended with the server's {@code answer}, which replaced {@code
   * replaced} (null: created); an unchanged object keeps what was remembered.
   */
  void wrote(ObjectKey key, JsonNode desired, String replaced, ObjectNode answer) {
    String app =
        Tracking.owner(
            desired.path("metadata").path("annotations").path(Tracking.TRACKING_ID).asText(null));
    String written = resourceVersion(answer);
    Remembered r =
        app == null || written.isEmpty()
            ? null
            : new Remembered(
                app,
                replaced == null || replaced.isEmpty() ? null : replaced,
                written,
                answer.deepCopy());
    if (r != null) {
      keysByApp.computeIfAbsent(app, a -> ConcurrentHashMap.newKeySet()).add(key);
    }
    end(key, r, true);
  }

  /** The write ended without changing the object (nothing to write). */
  void unchanged(ObjectKey key) {
    end(key, null, false);
  }

  /** The write failed (it may still have happened) or deleted the object: forget it. */
  void forget(ObjectKey key) {
    end(key, null, true);
  }

  private void end(ObjectKey key, Remembered r, boolean replace) {
    slots.compute(
        key,
        (k, s) -> {
          if (s == null) {
            return null;
          }
          int inFlight = Math.max(0, s.inFlight() - 1);
          // After an overlap nothing is remembered until every overlapping write has ended.
          Slot next =
              s.overlapped()
                  ? new Slot(inFlight, inFlight > 0, null)
                  : new Slot(inFlight, false, replace ? r : s.remembered());
          return next.inFlight() == 0 && next.remembered() == null ? null : next;
        });
  }

  /**
   * The live object {@code key} is, as far as our own last write tells, given what the watch cache
   * holds ({@code cached}, null on a miss); null when it cannot tell and the API server must say.
   */
  public ObjectNode current(ObjectKey key, ObjectNode cached) {
    Slot s = slots.get(key);
    Remembered r = s == null || s.inFlight() > 0 ? null : s.remembered();
    if (r == null || cached == null) {
      // A miss may be our create not delivered yet, or delivered and deleted since: unknowable.
      return null;
    }
    String rv = resourceVersion(cached);
    if (rv.equals(r.written())) {
      return cached; // the watch delivered our write and nothing since
    }
    if (rv.equals(r.replaced())) {
      return r.answer().deepCopy(); // the watch has not delivered our write yet
    }
    return null;
  }

  /** Keeps only {@code keys} of {@code app} (what it wants live); the rest is not compared. */
  public void retain(String app, Set<ObjectKey> keys) {
    Set<ObjectKey> written = keysByApp.get(app);
    if (written == null) {
      return;
    }
    for (ObjectKey key : written) {
      if (!keys.contains(key)) {
        written.remove(key);
        slots.computeIfPresent(
            key,
            (k, s) ->
                s.remembered() == null || !s.remembered().app().equals(app)
                    ? s
                    : s.inFlight() == 0 ? null : new Slot(s.inFlight(), s.overlapped(), null));
      }
    }
  }

  /** The Application is gone from this agent: nothing of it is remembered. */
  public void forgetApplication(String app) {
    retain(app, Set.of());
    keysByApp.remove(app);
  }

  /** Objects remembered (tests). */
  public int size() {
    return (int) slots.values().stream().filter(s -> s.remembered() != null).count();
  }

  static String resourceVersion(JsonNode obj) {
    return obj == null ? "" : obj.path("metadata").path("resourceVersion").asText("");
  }
}
