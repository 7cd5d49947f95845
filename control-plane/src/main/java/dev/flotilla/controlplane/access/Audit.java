package dev.flotilla.controlplane.access;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.identity.AuditEntry;
import dev.flotilla.controlplane.identity.AuditRepository;
import dev.flotilla.controlplane.identity.AuditResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every change and every sync/rollback in the audit log with its actor, object and result:
 * {@code deny} when policy refused it, {@code error} when it failed, {@code allow} when it was
 * done. The answer to the caller waits for the record, so what a caller was told is always in the
 * log.
 */
public final class Audit {

  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

  private final AuditRepository log;

  public Audit(AuditRepository log) {
    this.log = log;
  }

  /**
   * Runs {@code work} (which starts with its permission checks) and records how it ended.
   *
   * @param resource the policy resource, e.g. {@code applications}
   * @param object the policy object, e.g. {@code team-a/frontend}
   */
  public <T> Future<T> record(
      Caller caller,
      String action,
      String resource,
      String object,
      JsonObject details,
      Supplier<Future<T>> work) {
    Future<T> outcome;
    try {
      outcome = work.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.transform(
        ar -> {
          AuditResult result;
          JsonObject written = details == null ? new JsonObject() : details.copy();
          if (ar.succeeded()) {
            result = AuditResult.ALLOW;
          } else {
            Throwable e = ar.cause();
            result =
                e instanceof ApiException api && api.refusal()
                    ? AuditResult.DENY
                    : AuditResult.ERROR;
            written.put("error", String.valueOf(e.getMessage()));
          }
          return log.record(
                  new AuditEntry(caller.name(), action, resource, object, result, written))
              .transform(
                  logged -> {
                    if (logged.failed()) {
                      LOG.warn(
                          "could not write the audit record of {} {} {} by {}",
                          action,
                          resource,
                          object,
                          caller.name(),
                          logged.cause());
                    }
                    return ar.succeeded()
                        ? Future.succeededFuture(ar.result())
                        : Future.failedFuture(ar.cause());
                  });
        });
  }

  public AuditRepository log() {
    return log;
  }
}
