package dev.flotilla.controlplane.application;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Notifications that an Application (its spec or its status) changed, for watchers. A change made
 * here is also handed to the relay, which tells the other control-plane replicas; a change they
 * report arrives through {@link #changedElsewhere}. Listeners must not block.
 */
public final class ApplicationEvents {

  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private volatile Consumer<String> relay = name -> {};

  /** Registers a listener; the returned handle removes it. */
  public AutoCloseable subscribe(Consumer<String> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Where changes made here are passed on to other replicas; set once at start. */
  public void relayThrough(Consumer<String> relay) {
    this.relay = relay;
  }

  /** An Application changed through this replica. */
  public void changed(String application) {
    notifyListeners(application);
    relay.accept(application);
  }

  /** An Application changed through another replica. */
  public void changedElsewhere(String application) {
    notifyListeners(application);
  }

  private void notifyListeners(String application) {
    for (Consumer<String> l : listeners) {
      l.accept(application);
    }
  }
}
