package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.glob.Glob;
import dev.flotilla.core.regex.RegexBudgetExceededException;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import dev.flotilla.generators.template.Names;
import dev.flotilla.generators.template.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The git generator: {@code directories} (one parameter set per matching directory) or {@code
 * files} (one per JSON/YAML object in each matching file). Reads only the snapshot it is given.
 */
public final class GitGenerator implements Generator {

  /** Argo CD polls git generators every three minutes unless told otherwise. */
  public static final Duration DEFAULT_REQUEUE = Duration.ofMinutes(3);

  private record Pattern(Glob glob, boolean exclude) {}

  @Override
  public GeneratorOutput generate(JsonNode spec, GeneratorContext context, String location) {
    String repoUrl = spec.path("repoURL").asText("");
    if (repoUrl.isEmpty()) {
      return GeneratorOutput.failure(location + ".repoURL", "repoURL is required");
    }
    String revision = spec.path("revision").asText("");
    if (revision.isEmpty()) {
      revision = "HEAD";
    }
    Optional<Duration> requeue = Optional.of(DEFAULT_REQUEUE);
    JsonNode requeueSeconds = spec.path("requeueAfterSeconds");
    if (requeueSeconds.canConvertToLong() && requeueSeconds.asLong() >= 0) {
      requeue = Optional.of(Duration.ofSeconds(requeueSeconds.asLong()));
    }
    boolean directories = spec.path("directories").isArray() && !spec.path("directories").isEmpty();
    boolean files = spec.path("files").isArray() && !spec.path("files").isEmpty();
    if (directories == files) {
      return GeneratorOutput.failure(
          location,
          directories
              ? "git generator takes either 'directories' or 'files', not both"
              : "git generator needs a non-empty 'directories' or 'files' list");
    }
    String kind = directories ? "directories" : "files";
    List<Pattern> patterns;
    try {
      patterns = patterns(spec.path(kind), location + "." + kind, directories);
    } catch (GeneratorException e) {
      return GeneratorOutput.failure(e.location(), e.getMessage());
    }
    GitTreeSnapshot tree;
    try {
      tree = context.inputs().gitTree(repoUrl, revision);
    } catch (GitInputException e) {
      return GeneratorOutput.failure(
          location + ".repoURL",
          "cannot read " + repoUrl + " at " + revision + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return GeneratorOutput.failure(
          location + ".repoURL", "cannot read " + repoUrl + " at " + revision + ": " + e);
    }
    String prefix = spec.path("pathParamPrefix").asText("");
    GeneratorOutput output;
    try {
      output =
          directories
              ? directories(tree, patterns, spec, prefix, context, location)
              : files(tree, patterns, spec, prefix, context, location);
    } catch (RegexBudgetExceededException e) {
      return GeneratorOutput.failure(location + "." + kind, "path " + e.getMessage());
    }
    return new GeneratorOutput(output.paramSets(), output.errors(), requeue, output.failed());
  }

  private static List<Pattern> patterns(JsonNode items, String location, boolean directories)
      throws GeneratorException {
    List<Pattern> patterns = new ArrayList<>();
    int index = 0;
    for (JsonNode item : items) {
      String where = location + "[" + index++ + "]";
      String path = item.path("path").asText("");
      if (path.isEmpty()) {
        throw new GeneratorException(where + ".path", "path is required");
      }
      if (!RepoPaths.staysInside(path)) {
        throw new GeneratorException(
            where + ".path", "path '" + path + "' escapes the repository; use a relative path");
      }
      try {
        Glob glob =
            Glob.compile(path, directories ? Glob.Mode.PATH_SEGMENT : Glob.Mode.PATH_GREEDY);
        patterns.add(new Pattern(glob, item.path("exclude").asBoolean(false)));
      } catch (IllegalArgumentException e) {
        throw new GeneratorException(
            where + ".path", "invalid pattern '" + path + "': " + e.getMessage());
      }
    }
    return patterns;
  }

  /** Included by some pattern and excluded by none: an exclude always wins. */
  private static boolean selected(String path, List<Pattern> patterns) {
    boolean included = false;
    for (Pattern pattern : patterns) {
      if (pattern.glob().matches(path)) {
        if (pattern.exclude()) {
          return false;
        }
        included = true;
      }
    }
    return included;
  }

  private static GeneratorOutput directories(
      GitTreeSnapshot tree,
      List<Pattern> patterns,
      JsonNode spec,
      String prefix,
      GeneratorContext context,
      String location) {
    List<ParamSet> paramSets = new ArrayList<>();
    List<GenerationError> errors = new ArrayList<>();
    List<String> all =
        context.inputs() instanceof SnapshotCache cache
            ? cache.directories(tree)
            : RepoPaths.directories(tree.files());
    for (String directory : all) {
      if (!selected(directory, patterns)) {
        continue;
      }
      String where = location + ".directories (path " + directory + ")";
      Map<String, Object> params = new LinkedHashMap<>();
      pathParams(directory, null, prefix, context.nestedParams(), params);
      try {
        context.appendValues(spec.path("values"), params, location + ".values");
      } catch (GeneratorException e) {
        errors.add(new GenerationError(where, e.location() + ": " + e.getMessage()));
        continue;
      }
      paramSets.add(new ParamSet(params, where));
      if (paramSets.size() > context.maxParamSets()) {
        return GeneratorOutput.failure(
            location, "more than " + context.maxParamSets() + " directories match");
      }
    }
    return new GeneratorOutput(paramSets, errors, Optional.empty(), false);
  }

  private static GeneratorOutput files(
      GitTreeSnapshot tree,
      List<Pattern> patterns,
      JsonNode spec,
      String prefix,
      GeneratorContext context,
      String location) {
    TreeSet<String> matched = new TreeSet<>();
    for (String file : tree.files()) {
      if (RepoPaths.staysInside(file) && selected(file, patterns)) {
        matched.add(file);
      }
    }
    BoundedYaml yaml =
        new BoundedYaml((int) Math.min(Integer.MAX_VALUE, context.maxGitFileBytes()));
    List<ParamSet> paramSets = new ArrayList<>();
    List<GenerationError> errors = new ArrayList<>();
    for (String file : matched) {
      String where = location + ".files (file " + file + ")";
      JsonNode content;
      try {
        byte[] bytes = tree.read(file, context.maxGitFileBytes());
        if (bytes.length > context.maxGitFileBytes()) {
          throw new GitInputException(
              "file is "
                  + bytes.length
                  + " bytes, more than the limit of "
                  + context.maxGitFileBytes());
        }
        content = yaml.read(bytes);
      } catch (GitInputException e) {
        errors.add(new GenerationError(where, "cannot read file: " + e.getMessage()));
        continue;
      } catch (YamlException e) {
        errors.add(new GenerationError(where, "not valid JSON or YAML: " + e.getMessage()));
        continue;
      }
      List<JsonNode> objects = new ArrayList<>();
      if (content == null || content.isNull()) {
        objects.add(null);
      } else if (content.isObject()) {
        objects.add(content);
      } else if (content.isArray()) {
        boolean allMaps = true;
        for (JsonNode item : content) {
          allMaps &= item.isObject();
          objects.add(item);
        }
        if (!allMaps) {
          errors.add(new GenerationError(where, "a list in a parameter file must hold only maps"));
          continue;
        }
      } else {
        errors.add(
            new GenerationError(where, "a parameter file must hold a map or a list of maps"));
        continue;
      }
      int index = 0;
      for (JsonNode object : objects) {
        String source = objects.size() > 1 ? where + "[" + index + "]" : where;
        index++;
        Map<String, Object> params = new LinkedHashMap<>();
        Object values = object == null ? Map.of() : Values.fromJson(object);
        if (context.nestedParams()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> map = (Map<String, Object>) values;
          params.putAll(map);
        } else {
          Values.flatten("", values, params);
        }
        pathParams(
            RepoPaths.dirname(file),
            RepoPaths.basename(file),
            prefix,
            context.nestedParams(),
            params);
        try {
          context.appendValues(spec.path("values"), params, location + ".values");
        } catch (GeneratorException e) {
          errors.add(new GenerationError(source, e.location() + ": " + e.getMessage()));
          continue;
        }
        paramSets.add(new ParamSet(params, source));
        if (paramSets.size() > context.maxParamSets()) {
          return GeneratorOutput.failure(
              location, "more than " + context.maxParamSets() + " parameter sets from files");
        }
      }
    }
    return new GeneratorOutput(paramSets, errors, Optional.empty(), false);
  }

  /**
   * The {@code path} parameters of a directory (and, for files, of the file's directory plus its
   * file name), under {@code pathParamPrefix} when one is set.
   */
  static void pathParams(
      String directory,
      String filename,
      String prefix,
      boolean nested,
      Map<String, Object> params) {
    String basename = RepoPaths.basename(directory);
    if (nested) {
      Map<String, Object> path = new LinkedHashMap<>();
      path.put("path", directory);
      path.put("basename", basename);
      if (filename != null) {
        path.put("filename", filename);
      }
      path.put("basenameNormalized", Names.normalize(basename));
      if (filename != null) {
        path.put("filenameNormalized", Names.normalize(filename));
      }
      path.put("segments", new ArrayList<Object>(Arrays.asList(directory.split("/", -1))));
      if (prefix.isEmpty()) {
        params.put("path", path);
      } else {
        Map<String, Object> wrapper = new LinkedHashMap<>();
        wrapper.put("path", path);
        params.put(prefix, wrapper);
      }
      return;
    }
    String name = prefix.isEmpty() ? "path" : prefix + ".path";
    params.put(name, directory);
    params.put(name + ".basename", basename);
    if (filename != null) {
      params.put(name + ".filename", filename);
    }
    params.put(name + ".basenameNormalized", Names.normalize(basename));
    if (filename != null) {
      params.put(name + ".filenameNormalized", Names.normalize(filename));
    }
    String[] segments = directory.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (!segments[i].isEmpty()) {
        params.put(name + "[" + i + "]", segments[i]);
      }
    }
  }
}
