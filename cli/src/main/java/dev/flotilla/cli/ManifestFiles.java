package dev.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The documents of manifest files, as {@code kubectl apply -f} reads them: a file, or every {@code
 * *.yaml}, {@code *.yml} and {@code *.json} file of a directory (its subdirectories too with {@code
 * recursive}), in name order, each file possibly holding several YAML documents. A file that cannot
 * be read is one failed entry; the others are still read.
 */
final class ManifestFiles {

  /** One document, or why its file could not be read (then {@code document} is null). */
  record Entry(String source, JsonObject document, String error) {

    String kind() {
      return document == null ? "" : document.getString("kind", "");
    }
  }

  private static final BoundedYaml YAML = new BoundedYaml((int) AppSetCommand.MAX_INPUT_BYTES);

  private ManifestFiles() {}

  static List<Entry> read(Path path, boolean recursive) throws CliException {
    if (!Files.exists(path)) {
      throw new CliException(path + ": no such file or directory");
    }
    List<Entry> entries = new ArrayList<>();
    for (Path file : files(path, recursive)) {
      entries.addAll(readFile(file));
    }
    return entries;
  }

  private static List<Path> files(Path path, boolean recursive) throws CliException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = recursive ? Files.walk(path) : Files.list(path)) {
      return walk.filter(Files::isRegularFile).filter(ManifestFiles::isManifest).sorted().toList();
    } catch (IOException e) {
      throw new CliException(path + ": cannot list: " + e.getMessage());
    }
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static List<Entry> readFile(Path file) {
    List<Entry> entries = new ArrayList<>();
    try {
      List<JsonNode> docs = YAML.readAll(AppSetCommand.readBounded(file));
      int n = 0;
      for (JsonNode doc : docs) {
        n++;
        String source = docs.size() == 1 ? file.toString() : file + " (document " + n + ")";
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue; // an empty document between separators
        }
        if (!doc.isObject()) {
          entries.add(
              new Entry(source, null, "not an object (a manifest has apiVersion, kind...)"));
          continue;
        }
        entries.add(new Entry(source, new JsonObject(doc.toString()), null));
      }
    } catch (CliException e) {
      entries.add(new Entry(file.toString(), null, e.getMessage()));
    } catch (YamlException e) {
      entries.add(new Entry(file.toString(), null, "not valid YAML or JSON: " + e.getMessage()));
    }
    return entries;
  }
}
