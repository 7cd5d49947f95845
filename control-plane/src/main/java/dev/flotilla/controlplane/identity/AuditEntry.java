package dev.flotilla.controlplane.identity;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Something to write to the audit log: who did what to which object, and how it ended.
 *
 * @param objectKind for example {@code applications}, {@code projects}, {@code tokens}
 * @param details anything else worth keeping (request fields, error message); may be empty
 */
public record AuditEntry(
    String actor,
    String action,
    String objectKind,
    String objectName,
    AuditResult result,
    JsonObject details) {

  public AuditEntry {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(objectKind, "objectKind");
    Objects.requireNonNull(objectName, "objectName");
    Objects.requireNonNull(result, "result");
    details = details == null ? new JsonObject() : details;
  }
}
