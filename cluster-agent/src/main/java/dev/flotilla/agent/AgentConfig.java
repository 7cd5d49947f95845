package dev.flotilla.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything an agent needs, built once from flags and environment.
 *
 * @param controlPlane host:port of the control plane's agent gRPC endpoint
 * @param caFile PEM file of the CA that signed the control plane's certificate; null for plaintext
 * @param stateDir where assignments and the Git cache live
 * @param resyncInterval how often every Application is reconciled even if nothing was announced
 * @param workers reconciles running in parallel
 */
public record AgentConfig(
    String controlPlane,
    String cluster,
    String token,
    Path caFile,
    Path stateDir,
    Duration resyncInterval,
    int workers,
    Duration initialBackoff,
    Duration maxBackoff,
    String gitUsername,
    String gitPassword) {

  public static final String VERSION = "0.1.0";

  public Path assignmentsFile() {
    return stateDir.resolve("assignments.json");
  }

  public Path gitCacheDir() {
    return stateDir.resolve("git");
  }
}
