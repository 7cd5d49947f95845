package dev.flotilla.controlplane.application;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * In-process notifications that an Application (its spec or its status) changed, for watchers.
 * Listeners must not block. With several control-plane replicas this would move to Postgres
 * LISTEN/NOTIFY.
 */
public final class ApplicationEvents {

  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  /** Registers a listener; the returned handle removes it. */
  public AutoCloseable subscribe(Consumer<String> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public void changed(String application) {
    for (Consumer<String> l : listeners) {
      l.accept(application);
    }
  }
}
