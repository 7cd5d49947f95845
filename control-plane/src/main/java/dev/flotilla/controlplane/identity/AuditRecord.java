package dev.flotilla.controlplane.identity;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** One stored audit log line. */
public record AuditRecord(
    long id,
    OffsetDateTime at,
    String actor,
    String action,
    String objectKind,
    String objectName,
    AuditResult result,
    JsonObject details) {}
