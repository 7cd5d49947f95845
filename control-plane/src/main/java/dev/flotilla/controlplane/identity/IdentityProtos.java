package dev.flotilla.controlplane.identity;

import com.google.protobuf.Timestamp;
import dev.flotilla.controlplane.ApiException;
import dev.flotilla.proto.api.v1.AuditLogEntry;
import dev.flotilla.proto.api.v1.Policy;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Identity records as {@code flotilla.api.v1} messages, and refusals in the proto's words. */
final class IdentityProtos {

  /** Earliest and latest instants a protobuf Timestamp may hold (0001-01-01 to 9999-12-31). */
  private static final long MIN_SECONDS = -62_135_596_800L;

  private static final long MAX_SECONDS = 253_402_300_799L;

  /** A message that starts with a camelCase field name, as the shared checks write them. */
  private static final Pattern CAMEL_FIELD = Pattern.compile("^([a-z]+[A-Z][A-Za-z]*):");

  private IdentityProtos() {}

  static dev.flotilla.proto.api.v1.User user(User u) {
    return dev.flotilla.proto.api.v1.User.newBuilder()
        .setName(u.name())
        .setDisplayName(u.displayName())
        .setCreatedAt(timestamp(u.createdAt()))
        .build();
  }

  static dev.flotilla.proto.api.v1.Team team(TeamMembers t) {
    return dev.flotilla.proto.api.v1.Team.newBuilder()
        .setName(t.team().name())
        .setDescription(t.team().description())
        .addAllMembers(t.members())
        .build();
  }

  /** What is known about a token: never its secret, which {@link ApiToken} does not hold. */
  static dev.flotilla.proto.api.v1.ApiToken token(ApiToken t) {
    var b =
        dev.flotilla.proto.api.v1.ApiToken.newBuilder()
            .setId(t.id())
            .setDescription(t.description())
            .setCreatedAt(timestamp(t.createdAt()))
            .setRevoked(t.revoked());
    if (t.user() != null) {
      b.setUser(t.user());
    } else {
      b.setProject(t.project()).setRole(t.role());
    }
    if (t.expiresAt() != null) {
      b.setExpiresAt(timestamp(t.expiresAt()));
    }
    if (t.lastUsedAt() != null) {
      b.setLastUsedAt(timestamp(t.lastUsedAt()));
    }
    return b.build();
  }

  static Policy policy(StoredPolicy p) {
    return Policy.newBuilder()
        .setPolicy(p.text())
        .setDefaultRole(p.defaultRole())
        .setUpdatedAt(timestamp(p.updatedAt()))
        .setUpdatedBy(p.updatedBy())
        .build();
  }

  static AuditLogEntry auditEntry(AuditRecord r) {
    return AuditLogEntry.newBuilder()
        .setId(r.id())
        .setAt(timestamp(r.at()))
        .setActor(r.actor())
        .setAction(r.action())
        .setKind(r.objectKind())
        .setObject(r.objectName())
        .setResult(r.result().column())
        .setDetailsJson(r.details() == null ? "{}" : r.details().encode())
        .build();
  }

  static Timestamp timestamp(OffsetDateTime t) {
    return Timestamp.newBuilder().setSeconds(t.toEpochSecond()).setNanos(t.getNano()).build();
  }

  /** A set timestamp as an instant, refused naming {@code field} when out of protobuf's range. */
  static Instant instant(String field, Timestamp t) {
    if (t.getSeconds() < MIN_SECONDS
        || t.getSeconds() > MAX_SECONDS
        || t.getNanos() < 0
        || t.getNanos() > 999_999_999) {
      throw ApiException.invalid(
          field + ": not a valid timestamp (years 1 to 9999, nanos 0 to 999999999)");
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** Empty means unset in proto3; the services take null. */
  static String orNull(String value) {
    return value.isEmpty() ? null : value;
  }

  /**
   * The shared checks name fields as REST spells them ({@code displayName}); a gRPC caller reads
   * the proto's spelling ({@code display_name}), so the leading field name is translated.
   */
  static <T> Future<T> protoFieldNames(Future<T> result) {
    return result.recover(e -> Future.failedFuture(protoFieldNames(e)));
  }

  static Throwable protoFieldNames(Throwable e) {
    boolean invalid =
        e instanceof IllegalArgumentException
            || (e instanceof ApiException api && api.kind() == ApiException.Kind.INVALID);
    if (!invalid || e.getMessage() == null) {
      return e;
    }
    Matcher m = CAMEL_FIELD.matcher(e.getMessage());
    if (!m.find()) {
      return e;
    }
    String snake = m.group(1).replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    return ApiException.invalid(snake + e.getMessage().substring(m.end(1)));
  }
}
