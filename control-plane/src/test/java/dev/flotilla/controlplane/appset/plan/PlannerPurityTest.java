package dev.flotilla.controlplane.appset.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The planner stays pure: its package imports only from an allow-list (as Strimzi's ImportControl
 * does for its model), so no pool, worker, Git client or dispatcher can creep into a decision. The
 * Vert.x JSON types are data, the stored Application model is what it plans over, and the agent
 * limit is a constant.
 */
class PlannerPurityTest {

  private static final Path SOURCES =
      Path.of("src/main/java/dev/flotilla/controlplane/appset/plan");

  private static final List<String> ALLOWED =
      List.of(
          "java.",
          "com.fasterxml.jackson.",
          "dev.flotilla.controlplane.appset.plan.",
          "dev.flotilla.generators.",
          "dev.flotilla.controlplane.application.StoredApplication;",
          "dev.flotilla.proto.AgentLimits;",
          "io.vertx.core.json.");

  @Test
  void thePlannerImportsOnlyPureTypes() throws IOException {
    List<String> imports;
    try (Stream<Path> files = Files.list(SOURCES)) {
      imports =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .flatMap(PlannerPurityTest::importsOf)
              .toList();
    }
    assertThat(imports).isNotEmpty();
    assertThat(imports)
        .allSatisfy(
            i ->
                assertThat(ALLOWED)
                    .as("'%s' is not on the planner's allow-list", i)
                    .anyMatch(i::startsWith));
  }

  private static Stream<String> importsOf(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .filter(l -> l.startsWith("import "))
          .map(l -> l.substring("import ".length()).replace("static ", "").trim());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
