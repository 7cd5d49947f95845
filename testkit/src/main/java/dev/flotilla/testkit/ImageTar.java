package dev.flotilla.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A container image as Jib's {@code buildTar} writes it (docker-archive layout: manifest.json, the
 * config and one gzipped tar per layer), opened so a test can check what the image runs and which
 * files it carries without a container engine.
 */
public final class ImageTar {

  private final JsonNode config;
  private final List<String> repoTags;
  private final TreeSet<String> files;
  private final Map<String, byte[]> small;

  private ImageTar(
      JsonNode config, List<String> repoTags, TreeSet<String> files, Map<String, byte[]> small) {
    this.config = config;
    this.repoTags = repoTags;
    this.files = files;
    this.small = small;
  }

  /** Reads the whole image; files under 64 KiB keep their content (see {@link #text}). */
  public static ImageTar open(Path tar) {
    ObjectMapper json = new ObjectMapper();
    Map<String, byte[]> outer = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = entries.getNextEntry()) != null) {
        if (!entry.isDirectory()) {
          outer.put(entry.getName(), entries.readAllBytes());
        }
      }
      JsonNode manifest = json.readTree(outer.get("manifest.json")).get(0);
      JsonNode config = json.readTree(outer.get(manifest.get("Config").asText()));
      List<String> tags = new ArrayList<>();
      manifest.path("RepoTags").forEach(t -> tags.add(t.asText()));
      TreeSet<String> files = new TreeSet<>();
      Map<String, byte[]> small = new HashMap<>();
      for (JsonNode layer : manifest.get("Layers")) {
        readLayer(outer.get(layer.asText()), files, small);
      }
      return new ImageTar(config.get("config"), tags, files, small);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + tar, e);
    }
  }

  private static void readLayer(byte[] gz, TreeSet<String> files, Map<String, byte[]> small)
      throws IOException {
    try (TarArchiveInputStream layer =
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(gz)))) {
      TarArchiveEntry entry;
      while ((entry = layer.getNextEntry()) != null) {
        if (entry.isDirectory()) {
          continue;
        }
        String name = "/" + entry.getName().replaceFirst("^\\./", "");
        files.add(name);
        if (entry.getSize() < 64 * 1024) {
          small.put(name, layer.readAllBytes());
        }
      }
    }
  }

  /** The image's run configuration: Entrypoint, Cmd, User, Env, ExposedPorts, WorkingDir. */
  public JsonNode config() {
    return config;
  }

  public List<String> repoTags() {
    return repoTags;
  }

  /** Absolute paths of every regular file in the image, all layers together. */
  public TreeSet<String> files() {
    return files;
  }

  /** The content of a small file, or null when the image has no such file. */
  public String text(String path) {
    byte[] bytes = small.get(path);
    return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
