package dev.flotilla.render.chart;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A Helm chart repository: an {@code index.yaml} listing each chart's versions with the URLs (and
 * usually digests) of their packages, as {@code helm repo add} reads it.
 */
final class HelmRepositoryClient implements ChartRepository {

  private final ChartHttp http;
  private final ChartCredentials credentials;
  private final ChartLimits limits;

  HelmRepositoryClient(ChartHttp http, ChartCredentials credentials, ChartLimits limits) {
    this.http = http;
    this.credentials = credentials;
    this.limits = limits;
  }

  @Override
  public Resolved resolve(ChartSource source) throws ChartFetchException {
    URI index = URI.create(source.repository() + "/index.yaml");
    String what = "index.yaml of Helm repository " + source.repository();
    ChartHttp.Response response =
        http.get(index, Map.of(), this::authorization, limits.maxIndexBytes(), what);
    if (!response.ok()) {
      throw new ChartFetchException(refusal(what, response.status(), index));
    }
    JsonNode root;
    try {
      root =
          new BoundedYaml((int) Math.min(Integer.MAX_VALUE, limits.maxIndexBytes()))
              .read(response.body());
    } catch (YamlException e) {
      throw new ChartFetchException(what + " is not valid YAML: " + e.getMessage(), e);
    }
    JsonNode entries = root == null ? null : root.get("entries");
    if (entries == null || !entries.isObject()) {
      throw new ChartFetchException(what + " has no 'entries': is repoURL a Helm repository?");
    }
    JsonNode versions = entries.get(source.chart());
    if (versions == null || !versions.isArray() || versions.isEmpty()) {
      List<String> names = new ArrayList<>();
      entries.fieldNames().forEachRemaining(names::add);
      throw new ChartFetchException(
          "Helm repository "
              + source.repository()
              + " has no chart '"
              + source.chart()
              + "'"
              + (names.isEmpty() ? "" : " (it has: " + String.join(", ", first(names, 10)) + ")"));
    }
    Resolved best = null;
    TreeSet<SemanticVersion> all = new TreeSet<>();
    for (JsonNode v : versions) {
      Optional<SemanticVersion> parsed = SemanticVersion.parse(v.path("version").asText(""));
      JsonNode urls = v.path("urls");
      if (parsed.isEmpty() || !urls.isArray() || urls.isEmpty()) {
        continue; // Helm skips entries it cannot use too
      }
      all.add(parsed.get());
      if (source.version().matches(parsed.get())
          && (best == null || parsed.get().compareTo(best.version()) > 0)) {
        String digest = v.path("digest").asText("");
        String location;
        try {
          location = index.resolve(urls.get(0).asText()).toString();
        } catch (IllegalArgumentException e) {
          throw new ChartFetchException(
              "Helm repository "
                  + source.repository()
                  + " lists an invalid URL for "
                  + source.chart()
                  + " "
                  + v.path("version").asText(),
              e);
        }
        best =
            new Resolved(
                parsed.get(),
                v.path("version").asText(),
                location,
                digest.isEmpty() ? null : digest.toLowerCase(java.util.Locale.ROOT));
      }
    }
    if (best == null) {
      throw new ChartFetchException(
          "Helm repository "
              + source.repository()
              + " has no version of chart "
              + source.chart()
              + " matching '"
              + source.version()
              + "'"
              + (all.isEmpty() ? "" : " (newest: " + all.last() + ")"));
    }
    return best;
  }

  @Override
  public byte[] download(ChartSource source, Resolved resolved) throws ChartFetchException {
    URI uri;
    try {
      uri = URI.create(resolved.location());
    } catch (IllegalArgumentException e) {
      throw new ChartFetchException(
          "Helm repository "
              + source.repository()
              + " lists an invalid URL for "
              + source.chart()
              + " "
              + resolved.versionText(),
          e);
    }
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new ChartFetchException(
          "Helm repository "
              + source.repository()
              + " lists a "
              + scheme
              + ": URL for "
              + source.chart()
              + " "
              + resolved.versionText()
              + "; only http(s) is fetched");
    }
    String what =
        source.chart()
            + " "
            + resolved.versionText()
            + " from Helm repository "
            + source.repository();
    ChartHttp.Response response =
        http.get(uri, Map.of(), this::authorization, limits.maxArchiveBytes(), what);
    if (!response.ok()) {
      throw new ChartFetchException(refusal(what, response.status(), uri));
    }
    return response.body();
  }

  private Optional<String> authorization(URI uri) {
    return credentials.forUrl(uri.toString()).map(ChartCredentials.Entry::authorization);
  }

  /** An HTTP error in words, saying whether credentials were sent (never which). */
  private String refusal(String what, int status, URI uri) {
    boolean sent = credentials.forUrl(uri.toString()).isPresent();
    String hint =
        switch (status) {
          case 401, 403 ->
              sent
                  ? " (the agent's credentials for it were refused)"
                  : " (no credentials for it in the agent's --helm-credentials file)";
          case 404 -> " (not found)";
          default -> "";
        };
    return what + ": HTTP " + status + hint;
  }

  private static List<String> first(List<String> names, int n) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(names));
    return sorted.size() <= n ? sorted : sorted.subList(0, n);
  }
}
