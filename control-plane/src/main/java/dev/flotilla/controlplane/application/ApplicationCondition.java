package dev.flotilla.controlplane.application;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One of Argo CD's {@code status.conditions} of an Application: something wrong that people must
 * see next to its sync and health.
 *
 * @param type Argo CD's condition type ({@value #INVALID_SPEC}, {@value #COMPARISON}, {@value
 *     #SYNC})
 * @param since when it began (Argo CD's lastTransitionTime); null when not known
 */
public record ApplicationCondition(String type, String message, Instant since) {

  /** The Application cannot be sent to its agent: unknown cluster, a project violation. */
  public static final String INVALID_SPEC = "InvalidSpecError";

  /** Git could not be fetched or the manifests could not be rendered or compared. */
  public static final String COMPARISON = "ComparisonError";

  /** The last sync operation failed. */
  public static final String SYNC = "SyncError";

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type)
        .put("message", message)
        .put("lastTransitionTime", since == null ? null : since.toString());
  }

  /**
   * The conditions of {@code app} as its stored status tells them: a dispatch error, and a failed
   * status told apart as a failed sync operation (its phase Failed or Error at the same revision)
   * or a comparison that could not be made.
   */
  public static List<ApplicationCondition> of(ApplicationView app) {
    List<ApplicationCondition> out = new ArrayList<>();
    if (app.dispatchError() != null && !app.dispatchError().isEmpty()) {
      out.add(new ApplicationCondition(INVALID_SPEC, app.dispatchError(), null));
    }
    if (app.syncFailed()) {
      JsonObject op = app.operation();
      boolean operationFailed =
          op != null
              && List.of("Failed", "Error").contains(op.getString("phase", ""))
              && op.getString("revision", "").equals(app.revision());
      String message = app.message();
      if (message.isEmpty() && operationFailed) {
        message = op.getString("message", "");
      }
      Instant since = instant(app.failingSince());
      if (since == null && operationFailed && op.getString("finishedAt") != null) {
        since = Instant.parse(op.getString("finishedAt"));
      }
      out.add(
          new ApplicationCondition(
              operationFailed ? SYNC : COMPARISON,
              message.isEmpty() ? "the last reconcile failed" : message,
              since));
    }
    return List.copyOf(out);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
