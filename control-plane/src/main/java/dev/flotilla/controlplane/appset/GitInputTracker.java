package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.git.GitFetcher;
import dev.flotilla.generators.GitInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per ApplicationSet, the Git inputs its last generation read ("url\0revision" to commit SHA), so a
 * fetch of one repository regenerates exactly the sets whose inputs from it moved.
 */
final class GitInputTracker {

  private final Map<String, Map<String, String>> byApplicationSet = new ConcurrentHashMap<>();

  /** A map for one generation to record its reads in; {@link #record} it once it ran. */
  static Map<String, String> newReads() {
    return new ConcurrentHashMap<>();
  }

  static String key(String url, String revision) {
    return url + "\u0000" + revision;
  }

  void record(String applicationSet, Map<String, String> reads) {
    byApplicationSet.put(applicationSet, reads);
  }

  void forget(String applicationSet) {
    byApplicationSet.remove(applicationSet);
  }

  /** Every repository the last generations read. */
  Set<String> urls() {
    Set<String> urls = new TreeSet<>();
    byApplicationSet
        .values()
        .forEach(read -> read.keySet().forEach(k -> urls.add(k.split("\u0000")[0])));
    return urls;
  }

  /** The ApplicationSets whose last generation read {@code url}. */
  List<String> readersOf(String url) {
    return byApplicationSet.entrySet().stream()
        .filter(e -> e.getValue().keySet().stream().anyMatch(k -> k.startsWith(url + "\u0000")))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Whether an input of {@code applicationSet} now resolves to another commit (blocking: disk). */
  boolean moved(String applicationSet, GitFetcher git) {
    for (var e : byApplicationSet.getOrDefault(applicationSet, Map.of()).entrySet()) {
      String[] source = e.getKey().split("\u0000", 2);
      try {
        if (!git.repositories().resolveLocal(source[0], source[1]).equals(e.getValue())) {
          return true;
        }
      } catch (GitInputException unreadable) {
        // Regenerating would only repeat the error already reported.
      }
    }
    return false;
  }
}
