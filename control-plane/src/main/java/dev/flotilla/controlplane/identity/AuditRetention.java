package dev.flotilla.controlplane.identity;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Trims the audit log to the configured retention at start and every six hours. */
public final class AuditRetention implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

  static final Duration EVERY = Duration.ofHours(6);

  private final Vertx vertx;
  private final AuditRepository auditLog;
  private final Duration retention;
  private volatile BooleanSupplier runsHere = () -> true;
  private long timer = -1;

  /**
   * @param retention how long entries are kept; zero keeps them for ever
   */
  public AuditRetention(Vertx vertx, AuditRepository auditLog, Duration retention) {
    this.vertx = vertx;
    this.auditLog = auditLog;
    this.retention = retention;
  }

  /**
   * Purges only while {@code runsHere} says so: with several replicas, the one holding the
   * retention lease.
   */
  public void runOnlyWhen(BooleanSupplier runsHere) {
    this.runsHere = runsHere;
  }

  public void start() {
    if (retention.isZero()) {
      return;
    }
    purge();
    timer = vertx.setPeriodic(EVERY.toMillis(), id -> purge());
  }

  private void purge() {
    if (!runsHere.getAsBoolean()) {
      return;
    }
    auditLog
        .purgeOlderThan(retention)
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.info("audit log: removed {} entries older than {}", n, retention);
              }
            })
        .onFailure(e -> LOG.warn("audit log retention failed", e));
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
