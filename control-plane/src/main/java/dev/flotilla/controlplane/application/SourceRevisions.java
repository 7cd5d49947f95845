package dev.flotilla.controlplane.application;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The revisions of a multi-source Application ({@code spec.sources}), as the control plane keeps
 * them in the Application's one {@code revision}: each source's commit SHA in order, joined by
 * commas, an empty entry for a source not resolved (a chart, or a repository not yet polled), which
 * its agent then resolves itself. The agent reads the same format (its own {@code
 * SourceRevisions}).
 */
public final class SourceRevisions {

  private SourceRevisions() {}

  /** One source read from Git (not a chart) of a multi-source Application. */
  public record GitSource(int index, String repoUrl, String targetRevision) {}

  /** The entries of {@code spec.sources}; empty for a single-source Application. */
  public static List<JsonObject> sources(JsonObject spec) {
    JsonArray sources = spec.getJsonArray("sources");
    List<JsonObject> out = new ArrayList<>();
    if (sources != null) {
      for (int i = 0; i < sources.size(); i++) {
        Object s = sources.getValue(i);
        out.add(s instanceof JsonObject o ? o : new JsonObject());
      }
    }
    return out;
  }

  /** The sources the control plane resolves from Git; charts are resolved by their agent. */
  public static List<GitSource> gitSources(JsonObject spec) {
    List<JsonObject> sources = sources(spec);
    List<GitSource> out = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      JsonObject s = sources.get(i);
      String url = s.getString("repoURL", "");
      if (url.isEmpty() || !s.getString("chart", "").isEmpty() || url.startsWith("oci://")) {
        continue;
      }
      String revision = s.getString("targetRevision", "");
      out.add(new GitSource(i, url, revision.isEmpty() ? "HEAD" : revision));
    }
    return out;
  }

  /**
   * What the revisions were resolved for: each source's repository and targetRevision. Stored
   * revisions are kept only while this stays the same, so a SHA never goes to another source.
   */
  public static String resolvedFor(JsonObject spec) {
    StringBuilder key = new StringBuilder();
    for (JsonObject s : sources(spec)) {
      key.append(s.getString("repoURL", ""))
          .append('\u0000')
          .append(s.getString("targetRevision", ""))
          .append('\u0000')
          .append(s.getString("chart", ""))
          .append('\n');
    }
    return key.toString();
  }

  /**
   * {@code joined} with the entry of source {@code index} (of {@code count}) set to {@code sha}.
   */
  public static String with(String joined, int count, int index, String sha) {
    List<String> entries = split(joined, count);
    entries.set(index, sha);
    return String.join(",", entries);
  }

  /**
   * The entry of each of {@code count} sources; a text that does not fit (sources added or removed
   * since) counts as nothing resolved.
   */
  public static List<String> split(String joined, int count) {
    List<String> entries = new ArrayList<>();
    if (joined != null && !joined.isEmpty()) {
      entries.addAll(Arrays.asList(joined.split(",", -1)));
    }
    if (entries.size() != count) {
      entries.clear();
    }
    while (entries.size() < count) {
      entries.add("");
    }
    return entries;
  }

  /**
   * Each source of a multi-source Application with the revision its agent last rendered (from
   * {@code reported}, the joined revisions of its status; "" while unknown), for people.
   */
  public static JsonArray describe(JsonObject spec, String reported) {
    List<JsonObject> sources = sources(spec);
    List<String> revisions = split(reported, sources.size());
    JsonArray out = new JsonArray();
    for (int i = 0; i < sources.size(); i++) {
      JsonObject s = sources.get(i);
      JsonObject line =
          new JsonObject()
              .put("repoURL", s.getString("repoURL", ""))
              .put("targetRevision", s.getString("targetRevision", "HEAD"))
              .put("revision", revisions.get(i));
      for (String field : List.of("path", "chart", "ref")) {
        if (s.getValue(field) instanceof String v && !v.isEmpty()) {
          line.put(field, v);
        }
      }
      out.add(line);
    }
    return out;
  }
}
