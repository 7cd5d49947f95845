package dev.flotilla.agent.reconcile.source;

import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderSource;
import dev.flotilla.render.RepoPaths;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Argo CD's {@code $ref/path/values.yaml}: a Helm value file of one source read from the checkout
 * of the source whose {@code ref} is {@code ref}, at that source's own revision, relative to its
 * repository's root (its path is ignored). Only multi-source Applications have refs.
 */
final class ValueFileRefs {

  private ValueFileRefs() {}

  /**
   * The value files of {@code checkout}'s Helm source that name a ref, each resolved to a real file
   * inside the ref'd checkout. A missing file is left out when the source ignores missing value
   * files.
   *
   * @throws RenderException for an unknown ref, a missing file, or a path leading outside the ref'd
   *     checkout
   */
  static Map<String, Path> resolve(SourceCheckout checkout, Map<String, SourceCheckout> refs)
      throws RenderException {
    RenderSource.Helm helm = checkout.source().helm();
    Map<String, Path> resolved = new LinkedHashMap<>();
    if (helm == null) {
      return resolved;
    }
    for (String valueFile : helm.valueFiles()) {
      if (!valueFile.startsWith("$")) {
        continue;
      }
      String what = "helm value file '" + valueFile + "' of " + checkout.describe();
      int slash = valueFile.indexOf('/');
      String variable = slash < 0 ? valueFile : valueFile.substring(0, slash);
      SourceCheckout ref = refs.get(variable);
      if (ref == null) {
        throw new RenderException(what + ": " + unknown(variable, refs));
      }
      String path = slash < 0 ? "" : valueFile.substring(slash + 1);
      if (path.isBlank()) {
        throw new RenderException(what + " names no file in " + ref.describe());
      }
      Path file;
      try {
        file = new RepoPaths(ref.root()).resolve(path, "file");
      } catch (RenderException e) {
        if (helm.ignoreMissingValueFiles()
            && e.getMessage().endsWith("does not exist in the repository")) {
          continue;
        }
        throw new RenderException(
            what + ": " + e.getMessage() + " of " + ref.describe() + " at " + ref.revision(), e);
      }
      if (!file.toFile().isFile()) {
        throw new RenderException(what + " is not a file in " + ref.describe());
      }
      resolved.put(valueFile, file);
    }
    return resolved;
  }

  /** Argo CD's wording, with the refs in a stable order. */
  private static String unknown(String variable, Map<String, SourceCheckout> refs) {
    if (refs.isEmpty()) {
      return "source referenced \"" + variable + "\", but no source has a 'ref' field defined";
    }
    return "source referenced \""
        + variable
        + "\", which is not one of the available sources ("
        + String.join(", ", new TreeSet<>(refs.keySet()))
        + ")";
  }
}
