package dev.flotilla.controlplane;

/**
 * A refused request, whatever the entry point: REST maps the kind to an HTTP status, gRPC to a
 * status code, so both say the same thing for the same mistake.
 */
public final class ApiException extends RuntimeException {

  /** What went wrong, independent of transport. */
  public enum Kind {
    /** Bad input; the message names the field (400 / INVALID_ARGUMENT). */
    INVALID,
    /** Missing, or not visible to the caller (404 / NOT_FOUND). */
    NOT_FOUND,
    /** Already exists (409 / ALREADY_EXISTS). */
    EXISTS,
    /** Not possible in the current state (409 / FAILED_PRECONDITION). */
    PRECONDITION,
    /** A dependency is away, e.g. the cluster's agent (503 / UNAVAILABLE). */
    UNAVAILABLE,
    /** No valid bearer token (401 / UNAUTHENTICATED). */
    UNAUTHENTICATED,
    /**
     * The caller sees the object but may not do this to it (403 / PERMISSION_DENIED). An object the
     * caller may not see is {@link #NOT_FOUND} instead, so names cannot be probed.
     */
    FORBIDDEN,
    /** The request is larger than allowed (413 / RESOURCE_EXHAUSTED). */
    TOO_LARGE
  }

  private final Kind kind;
  private final boolean refusal;

  public ApiException(Kind kind, String message) {
    this(kind, message, kind == Kind.FORBIDDEN);
  }

  private ApiException(Kind kind, String message, boolean refusal) {
    super(message);
    this.kind = kind;
    this.refusal = refusal;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether policy refused the request (forbidden, or an object hidden from the caller answered as
   * not found): the audit log records these as denied rather than failed.
   */
  public boolean refusal() {
    return refusal;
  }

  /** "Not found" for an object that exists but that the caller may not see. */
  public static ApiException hidden(String what, String name) {
    return new ApiException(Kind.NOT_FOUND, what + " '" + name + "' not found", true);
  }

  public static ApiException invalid(String message) {
    return new ApiException(Kind.INVALID, message);
  }

  /** Largest document (ApplicationSet, AppProject, policy) any entry point accepts. */
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  /** Refuses a document larger than {@link #MAX_DOCUMENT_BYTES}, naming the field. */
  public static void requireSize(String field, String text) {
    if (text != null && text.length() > MAX_DOCUMENT_BYTES) {
      throw new ApiException(
          Kind.TOO_LARGE,
          field + ": larger than " + MAX_DOCUMENT_BYTES + " bytes; split it or trim it");
    }
  }

  public static ApiException forbidden(String message) {
    return new ApiException(Kind.FORBIDDEN, message);
  }

  public static ApiException unauthenticated(String message) {
    return new ApiException(Kind.UNAUTHENTICATED, message);
  }

  public static ApiException notFound(String what, String name) {
    return new ApiException(Kind.NOT_FOUND, what + " '" + name + "' not found");
  }
}
