package dev.flotilla.render.chart;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.yaml.BoundedYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Credentials for Helm repositories and OCI registries, read by the agent from its own file ({@code
 * flotilla agent --helm-credentials FILE}, mounted from a Secret), in the same format as its Git
 * credentials file; the entry with the longest {@code urlPrefix} that the URL starts with wins:
 *
 * <pre>
 * credentials:
 *   - urlPrefix: https://charts.example.com/
 *     username: flotilla
 *     password: s3cret                 # or passwordFile: /etc/flotilla/helm/password
 *   - urlPrefix: oci://registry.example.com/platform/
 *     bearerToken: eyJ...              # or bearerTokenFile: /etc/flotilla/helm/token
 * </pre>
 *
 * URLs are matched as the Application writes them for the index and charts of a Helm repository
 * ({@code https://...}), and as {@code oci://host/path/chart} for a registry (whatever form the
 * Application used). A user name and password go as HTTP basic authentication, or, for a registry
 * that asks for a token, to its token service; a bearer token goes as it is. A URL no entry matches
 * is fetched anonymously, so credentials never reach a host they were not meant for.
 */
public final class ChartCredentials {

  private static final BoundedYaml YAML = new BoundedYaml(1 << 20);
  private static final Set<String> FIELDS =
      Set.of("urlPrefix", "username", "password", "passwordFile", "bearerToken", "bearerTokenFile");

  /** One entry: a user name and password, or a bearer token. */
  public record Entry(String urlPrefix, String username, String password, String bearerToken) {

    /** The Authorization header sent directly to a server that this entry covers. */
    String authorization() {
      if (bearerToken != null) {
        return "Bearer " + bearerToken;
      }
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      // Never the secret: entries end up in logs and error messages.
      return (bearerToken != null ? "a bearer token" : "user '" + username + "'")
          + " for URLs starting with "
          + urlPrefix;
    }
  }

  private final List<Entry> entries;

  private ChartCredentials(List<Entry> entries) {
    this.entries =
        entries.stream()
            .sorted(Comparator.comparingInt((Entry e) -> e.urlPrefix().length()).reversed())
            .toList();
  }

  /** No credentials: every chart is fetched anonymously. */
  public static ChartCredentials none() {
    return new ChartCredentials(List.of());
  }

  /** These entries (tests and callers that build them). */
  public static ChartCredentials of(List<Entry> entries) {
    return new ChartCredentials(entries);
  }

  /** The entry for {@code url}, if any. */
  public Optional<Entry> forUrl(String url) {
    return entries.stream().filter(e -> url.startsWith(e.urlPrefix())).findFirst();
  }

  /**
   * Reads {@code file} (see the class comment).
   *
   * @throws IllegalArgumentException naming the file and entry when it is not valid
   */
  public static ChartCredentials load(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException("Helm credentials file " + file + " does not exist or is not readable");
    }
    JsonNode root = YAML.readFile(file);
    JsonNode list = root == null ? null : root.get("credentials");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(
          "Helm credentials file " + file + ": expected a top-level list 'credentials:'");
    }
    Path dir = file.toAbsolutePath().getParent();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      entries.add(entry(file, dir, i, list.get(i)));
    }
    return new ChartCredentials(entries);
  }

  private static Entry entry(Path file, Path dir, int index, JsonNode node) throws IOException {
    String where = "Helm credentials file " + file + ", entry " + (index + 1);
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a map");
    }
    List<String> unknown = new ArrayList<>();
    node.fieldNames()
        .forEachRemaining(
            f -> {
              if (!FIELDS.contains(f)) {
                unknown.add(f);
              }
            });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + ": unknown field(s) "
              + unknown
              + "; known: "
              + FIELDS.stream().sorted().toList());
    }
    String prefix = node.path("urlPrefix").asText("");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException(where + ": urlPrefix is required");
    }
    String password = secret(node, "password", dir, where);
    String token = secret(node, "bearerToken", dir, where);
    String username = node.hasNonNull("username") ? node.get("username").asText() : null;
    if ((token == null) == (password == null)) {
      throw new IllegalArgumentException(
          where + " (" + prefix + "): set either a password (with username) or a bearerToken");
    }
    if (password != null && (username == null || username.isEmpty())) {
      throw new IllegalArgumentException(where + " (" + prefix + "): a password needs a username");
    }
    return new Entry(prefix, username, password, token);
  }

  /** {@code name} inline or {@code nameFile}, the file's trailing newline dropped. */
  private static String secret(JsonNode node, String name, Path dir, String where)
      throws IOException {
    boolean inline = node.hasNonNull(name);
    boolean fromFile = node.hasNonNull(name + "File");
    if (inline && fromFile) {
      throw new IllegalArgumentException(
          where + ": set " + name + " or " + name + "File, not both");
    }
    if (inline) {
      return node.get(name).asText();
    }
    if (!fromFile) {
      return null;
    }
    Path path = dir.resolve(node.get(name + "File").asText());
    if (!Files.isReadable(path)) {
      throw new IOException(where + ": " + name + "File " + path + " is not readable");
    }
    return Files.readString(path).strip();
  }
}
