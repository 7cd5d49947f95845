package dev.flotilla.controlplane.appset;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/** The Git repositories an ApplicationSet document names literally. */
final class RepoUrls {

  private RepoUrls() {}

  /** Literal (untemplated) repoURLs a document names: fetched before its first generation run. */
  static Set<String> in(JsonObject document) {
    Set<String> urls = new TreeSet<>();
    collect(document, urls);
    return urls;
  }

  private static void collect(Object node, Set<String> urls) {
    if (node instanceof JsonObject o) {
      for (var e : o) {
        if ("repoURL".equals(e.getKey()) && e.getValue() instanceof String s && !s.contains("{{")) {
          urls.add(s);
        } else {
          collect(e.getValue(), urls);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collect(v, urls));
    }
  }
}
