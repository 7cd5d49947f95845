package dev.flotilla.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A checkout on disk that a test owns: write, delete and link files in it. */
public final class TestCheckout implements AutoCloseable {

  public final Path root;

  public TestCheckout() {
    try {
      root = Files.createTempDirectory("flotilla-repo-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TestCheckout write(String path, String content) {
    try {
      Path p = root.resolve(path);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TestCheckout delete(String path) {
    try {
      Files.delete(root.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TestCheckout symlink(String path, Path target) {
    try {
      Path p = root.resolve(path);
      Files.createDirectories(p.getParent());
      Files.createSymbolicLink(p, target);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String configMap(String name, String... keyValues) {
    StringBuilder s =
        new StringBuilder(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n");
    for (int i = 0; i < keyValues.length; i += 2) {
      s.append("  ").append(keyValues[i]).append(": \"").append(keyValues[i + 1]).append("\"\n");
    }
    return s.toString();
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temp files; the OS cleans up eventually
    }
  }
}
