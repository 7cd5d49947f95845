package dev.flotilla.controlplane.metrics;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link FleetSnapshot} fresh: reloads it every {@code interval}, and soon after an
 * Application changes (at most one reload per {@code settle}, however many changes arrive), so a
 * scrape reads memory and a burst of 10,000 status updates costs a handful of queries.
 */
public final class FleetStateRefresher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FleetStateRefresher.class);

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final MetricsRepository repository;
  private final Duration interval;
  private final Duration settle;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile FleetSnapshot current = FleetSnapshot.EMPTY;
  private volatile boolean closed;
  private long timer = -1;

  public FleetStateRefresher(
      Vertx vertx, MetricsRepository repository, Duration interval, Duration settle) {
    this.vertx = vertx;
    this.repository = repository;
    this.interval = interval;
    this.settle = settle;
  }

  public void start() {
    refresh();
    timer = vertx.setPeriodic(interval.toMillis(), id -> refresh());
  }

  /** The last snapshot read; {@link FleetSnapshot#EMPTY} before the first. */
  public FleetSnapshot current() {
    return current;
  }

  /** Something changed: reload within {@code settle}, coalescing with other changes. */
  public void changed() {
    if (!closed && scheduled.compareAndSet(false, true)) {
      vertx.setTimer(
          settle.toMillis(),
          id -> {
            scheduled.set(false);
            refresh();
          });
    }
  }

  private void refresh() {
    if (closed) {
      return;
    }
    repository
        .load()
        .onSuccess(s -> current = s)
        // The last good snapshot stays: metrics go stale rather than vanish.
        .onFailure(e -> LOG.warn("metrics: cannot read the fleet state: {}", e.getMessage()));
  }

  @Override
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
