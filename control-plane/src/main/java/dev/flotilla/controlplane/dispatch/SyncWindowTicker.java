package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.project.ProjectGate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync windows open and close with the clock, not with any change in the store: every {@code
 * interval} the connected agents are brought up to date, which re-sends exactly the assignments
 * whose blocked state flipped (see {@link AgentSession#resync}). Nothing is done while no project
 * has windows. Reads go through the async Postgres pool; the evaluation itself is cheap.
 */
public final class SyncWindowTicker {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(SyncWindowTicker.class);

  private final Vertx vertx;
  private final ProjectGate projects;
  private final AgentDispatcher dispatcher;
  private final Duration interval;
  private final AtomicBoolean running = new AtomicBoolean();

  /** Windows were seen last time: one more round after they are gone unblocks what they held. */
  private volatile boolean hadWindows;

  private long timer = -1;

  public SyncWindowTicker(
      Vertx vertx, ProjectGate projects, AgentDispatcher dispatcher, Duration interval) {
    this.vertx = vertx;
    this.projects = projects;
    this.dispatcher = dispatcher;
    this.interval = interval;
  }

  public void start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One round; skipped while the previous one still runs. */
  public Future<Void> tick() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return projects
        .load()
        .compose(
            policies -> {
              boolean windows = policies.hasSyncWindows();
              boolean wanted = windows || hadWindows;
              hadWindows = windows;
              return wanted
                  ? dispatcher.clustersChanged(dispatcher.connectedClusters())
                  : Future.<Void>succeededFuture();
            })
        .onFailure(e -> LOG.warn("sync window round failed", e))
        .eventually(
            () -> {
              running.set(false);
              return Future.succeededFuture();
            });
  }
}
