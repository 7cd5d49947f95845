package dev.flotilla.controlplane;

import dev.flotilla.controlplane.tls.ServerTls;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.vertx.core.http.HttpServerOptions;

/** The transport settings of the two listeners: TLS on both when a certificate is configured. */
final class ServerTransports {

  private ServerTransports() {}

  /** HTTPS when the configuration has a certificate, plain HTTP otherwise. */
  static HttpServerOptions http(ControlPlaneConfig config) {
    HttpServerOptions options = new HttpServerOptions();
    if (config.tls() != null) {
      options.setSsl(true).setKeyCertOptions(config.tls().keyCertOptions());
    }
    return options;
  }

  /** One credential for every gRPC service: agent protocol, platform API, health, reflection. */
  static ServerCredentials grpc(ControlPlaneConfig config) {
    ServerTls tls = config.tls();
    return tls != null ? tls.grpcCredentials() : InsecureServerCredentials.create();
  }
}
