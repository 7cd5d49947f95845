package dev.flotilla.cli;

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

  ApiClient client() {
    return ApiClient.from(api, token);
  }
}
