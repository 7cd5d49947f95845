package dev.flotilla.controlplane.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.testkit.ImageTar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane's container image, as Jib built it in this very build (target/jib-image.tar, on
 * the empty base; release images only swap the base for a JRE): it runs {@code flotilla server} as
 * a non-root user, exposes the ports the deploy manifests name, and carries exactly the server's
 * runtime jars (no agent, no CLI, no mock API server).
 */
class ServerImageIT {

  private static ImageTar image;

  @BeforeAll
  static void open() {
    Path tar = Path.of("target", "jib-image.tar");
    assertThat(tar).as("Jib's image-layout execution writes it in the package phase").exists();
    image = ImageTar.open(tar);
  }

  @Test
  void runsTheServerAsANonRootUser() {
    JsonNode config = image.config();
    List<String> entrypoint = strings(config.get("Entrypoint"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint)
        .contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError")
        .endsWith("dev.flotilla.controlplane.ServerMain");
    assertThat(config.get("User").asText()).isEqualTo("10001");
    List<String> ports = new ArrayList<>();
    config.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).containsExactlyInAnyOrder("8080/tcp", "9090/tcp", "9100/tcp");
    assertThat(image.repoTags()).singleElement().asString().startsWith("flotilla-server:");
  }

  @Test
  void carriesExactlyTheServersRuntimeJars() throws Exception {
    Path lib = Path.of("target", "server", "lib");
    List<String> expected;
    try (var files = Files.list(lib)) {
      expected = files.map(p -> "/app/libs/" + p.getFileName()).sorted().toList();
    }
    List<String> inImage =
        image.files().stream().filter(f -> f.startsWith("/app/libs/")).sorted().toList();
    assertThat(inImage).containsExactlyElementsOf(expected);
    assertThat(inImage)
        .anyMatch(j -> j.contains("vertx-pg-client"))
        .noneMatch(
            j -> j.contains("kubernetes-server-mock") || j.contains("flotilla-cluster-agent"));
    assertThat(image.files())
        .anyMatch(f -> f.startsWith("/app/classes/db/migration/") || f.contains("/db/migration/"));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
