package dev.flotilla.agent.proxy;

/** A resource request the agent refuses or cannot answer, with the gRPC code name it answers. */
final class ProxyException extends RuntimeException {

  private final String code;

  ProxyException(String code, String message) {
    super(message);
    this.code = code;
  }

  String code() {
    return code;
  }

  static ProxyException notFound(String message) {
    return new ProxyException("NOT_FOUND", message);
  }

  static ProxyException invalid(String message) {
    return new ProxyException("INVALID_ARGUMENT", message);
  }
}
