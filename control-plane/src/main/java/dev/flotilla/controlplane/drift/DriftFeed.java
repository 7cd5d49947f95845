package dev.flotilla.controlplane.drift;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process notifications of newly stored drift, for watchers: each event an agent reports, as the
 * drifted object it updated. Listeners run on the publishing thread (an event loop) and must not
 * block. With several control-plane replicas this would move to Postgres LISTEN/NOTIFY, like {@code
 * ApplicationEvents}.
 */
public final class DriftFeed {

  private static final Logger LOG = LoggerFactory.getLogger(DriftFeed.class);

  private final List<Consumer<DriftedObject>> listeners = new CopyOnWriteArrayList<>();

  /** Registers a listener; closing the returned handle removes it. */
  public AutoCloseable subscribe(Consumer<DriftedObject> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Listeners now registered (tests wait on it). */
  public int subscribers() {
    return listeners.size();
  }

  public void publish(DriftedObject object) {
    for (Consumer<DriftedObject> l : listeners) {
      try {
        l.accept(object);
      } catch (RuntimeException e) {
        // One broken watcher must not keep the event from the others.
        LOG.warn("drift watcher failed", e);
      }
    }
  }
}
