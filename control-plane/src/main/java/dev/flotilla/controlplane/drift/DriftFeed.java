package dev.flotilla.controlplane.drift;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process notifications of newly stored drift, for watchers: each event an agent reports, as the
 * drifted object it updated. Listeners run on the publishing thread (an event loop) and must not
 * block. Drift stored through this replica is also handed to the relay, which passes it on to the
 * other replicas; theirs arrives through {@link #publishedElsewhere}.
 */
public final class DriftFeed {

  private static final Logger LOG = LoggerFactory.getLogger(DriftFeed.class);

  private final List<Consumer<DriftedObject>> listeners = new CopyOnWriteArrayList<>();
  private volatile Consumer<DriftedObject> relay = object -> {};

  /** Registers a listener; closing the returned handle removes it. */
  public AutoCloseable subscribe(Consumer<DriftedObject> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Listeners now registered (tests wait on it). */
  public int subscribers() {
    return listeners.size();
  }

  /** Where drift stored here is passed on to other replicas; set once at start. */
  public void relayThrough(Consumer<DriftedObject> relay) {
    this.relay = relay;
  }

  /** Drift stored through this replica. */
  public void publish(DriftedObject object) {
    publishedElsewhere(object);
    relay.accept(object);
  }

  /** Drift stored through another replica. */
  public void publishedElsewhere(DriftedObject object) {
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
