package dev.flotilla.simulator.api;

/**
 * A request the simulated API server refuses, answered as a Kubernetes {@code Status} with this
 * code, reason and message. Patch engines throw it too (415 for a patch type they do not simulate,
 * 422 for a patch that does not apply).
 */
public final class ApiException extends RuntimeException {

  private final int code;
  private final String reason;

  public ApiException(int code, String reason, String message) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message);
  }

  public static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "MethodNotAllowed", message);
  }

  public static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "UnsupportedMediaType", message);
  }

  public static ApiException invalid(String message) {
    return new ApiException(422, "Invalid", message);
  }
}
