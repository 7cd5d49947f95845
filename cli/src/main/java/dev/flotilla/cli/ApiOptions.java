package dev.flotilla.cli;

import dev.flotilla.core.tls.TlsConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the control plane is and how to authenticate, shared by commands that use the REST API. */
final class ApiOptions {

  @Option(
      names = "--api",
      paramLabel = "URL",
      description =
          "Control plane REST address (or env FLOTILLA_API). Default: " + ApiClient.DEFAULT_API)
  String api;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Bearer token (or env FLOTILLA_TOKEN). Default: the `flotilla login` token, else"
              + " $FLOTILLA_HOME/admin.token")
  String token;

  @Option(
      names = ApiClient.CACERT_FLAG,
      paramLabel = "FILE",
      description =
          "PEM certificate of the CA that signed the control plane's certificate (or the"
              + " self-signed certificate itself) to trust for an https --api (or env"
              + " FLOTILLA_CACERT). Default: the JDK's trusted CAs.")
  Path caCert;

  ApiClient client() throws CliException {
    try {
      return ApiClient.from(api, token, caCert);
    } catch (TlsConfigException e) {
      throw new CliException(e.getMessage());
    }
  }
}
