package dev.flotilla.simulator.patch;

import java.util.List;

/**
 * A patch the API server refuses. The HTTP layer turns it into a Kubernetes {@code Status} with
 * this code, reason and message, and puts the causes into {@code details.causes}.
 */
public final class PatchException extends RuntimeException {

  /**
   * One entry of {@code Status.details.causes}.
   *
   * @param reason e.g. {@code FieldManagerConflict}
   * @param message what is wrong with this field
   * @param field the field path, e.g. {@code .spec.replicas}
   */
  public record Cause(String reason, String message, String field) {}

  private final int code;
  private final String reason;
  private final transient List<Cause> causes;

  private PatchException(int code, String reason, String message, List<Cause> causes) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.causes = List.copyOf(causes);
  }

  /** 400 BadRequest: the body cannot be read or breaks a patch rule. */
  public static PatchException badRequest(String message) {
    return new PatchException(400, "BadRequest", message, List.of());
  }

  /** 404 NotFound: only server-side apply creates an absent object. */
  public static PatchException notFound(String message) {
    return new PatchException(404, "NotFound", message, List.of());
  }

  /** 409 Conflict: server-side apply would take fields another manager owns. */
  public static PatchException conflict(String message, List<Cause> causes) {
    return new PatchException(409, "Conflict", message, causes);
  }

  /** 415 UnsupportedMediaType: a patch type this resource does not accept. */
  public static PatchException unsupportedMediaType(String message) {
    return new PatchException(415, "UnsupportedMediaType", message, List.of());
  }

  /** 422 Invalid, with what the real API server says and what exactly went wrong as a cause. */
  public static PatchException invalid(String message, String cause) {
    return invalid(message, new Cause("FieldValueInvalid", cause, "patch"));
  }

  /** 422 Invalid with one cause. */
  public static PatchException invalid(String message, Cause cause) {
    return new PatchException(422, "Invalid", message, List.of(cause));
  }

  /** HTTP status code of the Kubernetes {@code Status}. */
  public int code() {
    return code;
  }

  /** The {@code Status.reason}, e.g. {@code Conflict}. */
  public String reason() {
    return reason;
  }

  /** The {@code Status.details.causes}, empty when the message says it all. */
  public List<Cause> causes() {
    return causes;
  }
}
