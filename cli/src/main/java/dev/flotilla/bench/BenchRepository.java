package dev.flotilla.bench;

import dev.flotilla.git.LocalRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Git repository the bench's ApplicationSet reads: {@code apps/a000 … apps/aNNN}, one directory
 * per Application on each cluster, each holding one ConfigMap.
 */
final class BenchRepository {

  private final Path dir;
  private int commits;

  private BenchRepository(Path dir) {
    this.dir = dir;
  }

  static BenchRepository create(Path dir, int directories) throws IOException {
    for (int i = 0; i < directories; i++) {
      write(dir.resolve("apps").resolve(directory(i)), "hello");
    }
    BenchRepository repo = new BenchRepository(dir);
    repo.commit("bench: " + directories + " application directories");
    return repo;
  }

  static String directory(int i) {
    return String.format("a%03d", i);
  }

  String url() {
    return dir.toUri().toString();
  }

  /** Changes the first directory's ConfigMap, deployed on every cluster; returns the new SHA. */
  String changeFirstApplication() throws IOException {
    write(dir.resolve("apps").resolve(directory(0)), "change " + (++commits));
    return commit("bench: change " + directory(0) + " (" + commits + ")");
  }

  String head() throws IOException {
    return LocalRepository.head(dir, "main")
        .orElseThrow(() -> new IOException("no main branch in " + dir));
  }

  private String commit(String message) throws IOException {
    LocalRepository.commitAll(dir, "main", message, "flotilla bench", "bench@flotilla.invalid");
    return head();
  }

  private static void write(Path app, String greeting) throws IOException {
    Files.createDirectories(app);
    Files.writeString(
        app.resolve("config.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: config
        data:
          greeting: "%s"
        """
            .formatted(greeting));
  }
}
