package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Git layer is built without either side and without their frameworks: the agent's artifact
 * carries it, so nothing of the server (Vert.x, Postgres, Flyway) may come with it, and neither
 * side may be reached from it.
 */
class ModuleBoundaryTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.flotilla.controlplane.ControlPlane",
        "dev.flotilla.agent.ClusterAgent",
        "dev.flotilla.cli.FlotillaCli",
        "io.vertx.core.Vertx",
        "io.vertx.pgclient.PgConnectOptions",
        "io.zonky.test.db.postgres.embedded.EmbeddedPostgres",
        "org.flywaydb.core.Flyway",
        "org.postgresql.Driver",
        "io.fabric8.kubernetes.client.KubernetesClient",
        "io.grpc.ManagedChannel"
      })
  void isNotOnTheGitLayersClasspath(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }
}
