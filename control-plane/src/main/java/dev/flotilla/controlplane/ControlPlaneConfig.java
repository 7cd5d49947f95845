package dev.flotilla.controlplane;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The control plane's settings, built once from flags, environment and defaults.
 *
 * @param home local state ($FLOTILLA_HOME or ~/.flotilla): embedded Postgres data, Git cache, admin
 *     token
 * @param dbUrl {@code postgresql://user:pass@host:port/db} of an external Postgres; null for
 *     embedded
 * @param bindHost address the REST and gRPC servers listen on
 * @param httpPort REST port (0 picks a free one)
 * @param grpcPort agent gRPC port (0 picks a free one)
 * @param gitPollInterval how often Git revisions of Applications are re-resolved
 * @param defaultRequeue how often an ApplicationSet is regenerated when it does not say
 */
public record ControlPlaneConfig(
    Path home,
    String dbUrl,
    String bindHost,
    int httpPort,
    int grpcPort,
    Duration gitPollInterval,
    Duration defaultRequeue) {

  public static final Duration DEFAULT_GIT_POLL = Duration.ofMinutes(3);
  public static final Duration DEFAULT_REQUEUE = Duration.ofMinutes(3);

  public Path postgresDir() {
    return home.resolve("postgres");
  }

  public Path gitCacheDir() {
    return home.resolve("cache").resolve("git");
  }

  public Path adminTokenFile() {
    return home.resolve("admin.token");
  }
}
