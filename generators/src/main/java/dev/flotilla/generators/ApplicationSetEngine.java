package dev.flotilla.generators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.generators.generator.GeneratorContext;
import dev.flotilla.generators.generator.GeneratorException;
import dev.flotilla.generators.generator.GeneratorOutput;
import dev.flotilla.generators.generator.Generators;
import dev.flotilla.generators.generator.ParamSet;
import dev.flotilla.generators.generator.SnapshotCache;
import dev.flotilla.generators.gotemplate.GoTemplateEngine;
import dev.flotilla.generators.template.ApplicationRenderer;
import dev.flotilla.generators.template.FastTemplateEngine;
import dev.flotilla.generators.template.TemplateEngine;
import dev.flotilla.generators.template.TemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Turns an ApplicationSet and immutable inputs into Applications. Pure and thread-safe. */
public final class ApplicationSetEngine {

  /** Largest file a git files generator reads. */
  public static final long DEFAULT_MAX_GIT_FILE_BYTES = 1024 * 1024;

  /** Most Applications (and parameter sets per generator) one ApplicationSet may produce. */
  public static final int DEFAULT_MAX_APPLICATIONS = 250_000;

  /** Below this many parameter sets rendering stays on the calling thread. */
  static final int PARALLEL_THRESHOLD = 2_048;

  private static final int CHUNK = 1_024;

  private final long maxGitFileBytes;
  private final int maxApplications;
  private final boolean parallel;

  public ApplicationSetEngine() {
    this(DEFAULT_MAX_GIT_FILE_BYTES, DEFAULT_MAX_APPLICATIONS, true);
  }

  public ApplicationSetEngine(long maxGitFileBytes, int maxApplications) {
    this(maxGitFileBytes, maxApplications, true);
  }

  /**
   * @param parallel render large parameter lists on the common fork-join pool; the result is the
   *     same either way
   */
  public ApplicationSetEngine(long maxGitFileBytes, int maxApplications, boolean parallel) {
    this.maxGitFileBytes = maxGitFileBytes;
    this.maxApplications = maxApplications;
    this.parallel = parallel;
  }

  private record Rendered(GeneratedApplication application, ParamSet paramSet) {
    String source() {
      return paramSet.source();
    }
  }

  /** Runs every generator, renders the template per parameter set and reports what failed. */
  public GenerationResult generate(ApplicationSet applicationSet, GeneratorInputs inputs) {
    ObjectNode document = applicationSet.document();
    List<GenerationError> errors =
        new ArrayList<>(ApplicationSetValidator.validateDocument(document));
    if (!errors.isEmpty()) {
      return new GenerationResult(List.of(), errors, Optional.empty());
    }
    JsonNode spec = document.path("spec");
    boolean goTemplate = spec.path("goTemplate").asBoolean(false);
    List<String> options = new ArrayList<>();
    for (JsonNode option : spec.path("goTemplateOptions")) {
      options.add(option.asText());
    }
    GoTemplateEngine goEngine = new GoTemplateEngine(options);
    TemplateEngine engine = goTemplate ? goEngine : FastTemplateEngine.INSTANCE;
    GeneratorContext context =
        new GeneratorContext(new SnapshotCache(inputs), engine, maxGitFileBytes, maxApplications);
    boolean preserve = spec.path("syncPolicy").path("preserveResourcesOnDeletion").asBoolean(false);
    String templatePatch =
        spec.path("templatePatch").isTextual() ? spec.path("templatePatch").textValue() : null;
    JsonNode template = spec.path("template");

    Optional<Duration> requeue = Optional.empty();
    List<Rendered> rendered = new ArrayList<>();
    Map<JsonNode, ApplicationRenderer> renderers = new HashMap<>();
    JsonNode generators = spec.path("generators");
    for (int i = 0; i < generators.size(); i++) {
      String location = "spec.generators[" + i + "]";
      JsonNode entry = generators.get(i);
      List<GenerationError> invalid = ApplicationSetValidator.validateGenerator(entry, location, 0);
      if (!invalid.isEmpty()) {
        errors.addAll(invalid);
        continue;
      }
      GeneratorOutput output = Generators.run(entry, context, location, 0);
      errors.addAll(output.errors());
      requeue = Generators.earliest(requeue, output.requeueAfter());
      if (output.failed()) {
        continue;
      }
      // The same lookup TemplateProjects uses, so permissions see the template rendered here.
      String type;
      try {
        type = Generators.typeOf(entry, location);
      } catch (GeneratorException e) {
        errors.add(new GenerationError(e.location(), e.getMessage()));
        continue;
      }
      JsonNode effective =
          TemplateProjects.effectiveTemplate(template, entry.path(type).path("template"));
      ApplicationRenderer renderer;
      try {
        renderer = renderers.get(effective);
        if (renderer == null) {
          renderer =
              new ApplicationRenderer(
                  effective, engine, templatePatch, goEngine, preserve, applicationSet.namespace());
          renderers.put(effective, renderer);
        }
      } catch (TemplateException e) {
        // The message starts with the field, e.g. "template.spec.source.path: ...".
        String field = e.getMessage().split(": ", 2)[0];
        boolean fromOverride = effective != template && field.startsWith("template");
        String where = fromOverride ? location + "." + type + "." + field : "spec." + field;
        errors.add(new GenerationError(where, e.getMessage()));
        continue;
      }
      render(renderer, output.paramSets(), rendered, errors);
      if (rendered.size() > maxApplications) {
        errors.add(
            new GenerationError(
                location,
                "the ApplicationSet generates more than " + maxApplications + " Applications"));
        return new GenerationResult(List.of(), errors, requeue);
      }
    }
    return new GenerationResult(
        withoutDuplicates(rendered, errors), errors, requeue, warnings(renderers.values()));
  }

  private static List<GenerationError> warnings(Collection<ApplicationRenderer> renderers) {
    if (renderers.stream().noneMatch(ApplicationRenderer::patchedProjectIgnored)) {
      return List.of();
    }
    return List.of(
        new GenerationError(
            "spec.templatePatch",
            "spec.project in a templatePatch is ignored, as in Argo CD: the AppProject of generated"
                + " Applications is the one their template names"));
  }

  /** Renders every parameter set, in parallel chunks when there are many; order is kept. */
  private void render(
      ApplicationRenderer renderer,
      List<ParamSet> paramSets,
      List<Rendered> rendered,
      List<GenerationError> errors) {
    int count = paramSets.size();
    Rendered[] results = new Rendered[count];
    GenerationError[] failures = new GenerationError[count];
    IntConsumer renderChunk =
        chunk -> {
          int end = Math.min(count, (chunk + 1) * CHUNK);
          for (int i = chunk * CHUNK; i < end; i++) {
            ParamSet paramSet = paramSets.get(i);
            try {
              results[i] = new Rendered(renderer.render(paramSet.params()), paramSet);
            } catch (TemplateException e) {
              failures[i] = new GenerationError(paramSet.source(), e.getMessage());
            } catch (RuntimeException e) {
              failures[i] = new GenerationError(paramSet.source(), "cannot render: " + e);
            }
          }
        };
    int chunks = (count + CHUNK - 1) / CHUNK;
    if (parallel && count >= PARALLEL_THRESHOLD) {
      IntStream.range(0, chunks).parallel().forEach(renderChunk);
    } else {
      for (int chunk = 0; chunk < chunks; chunk++) {
        renderChunk.accept(chunk);
      }
    }
    for (int i = 0; i < count; i++) {
      if (results[i] != null) {
        rendered.add(results[i]);
      } else if (failures[i] != null) {
        errors.add(failures[i]);
      }
    }
  }

  /**
   * Applications whose names clash are all dropped and reported: picking one would make the result
   * depend on generator order, and the caller keeps the existing Application instead.
   */
  private static List<GeneratedApplication> withoutDuplicates(
      List<Rendered> rendered, List<GenerationError> errors) {
    // A stable sort keeps generator order among equal names; clashes are then adjacent.
    List<Rendered> sorted = new ArrayList<>(rendered);
    sorted.sort(Comparator.comparing(r -> r.application().name()));
    List<GeneratedApplication> applications = new ArrayList<>(sorted.size());
    int i = 0;
    while (i < sorted.size()) {
      String name = sorted.get(i).application().name();
      int end = i + 1;
      while (end < sorted.size() && sorted.get(end).application().name().equals(name)) {
        end++;
      }
      if (end == i + 1) {
        applications.add(sorted.get(i).application());
      } else {
        List<String> sources = sorted.subList(i, end).stream().map(Rendered::source).toList();
        errors.add(
            new GenerationError(
                sources.get(0),
                "duplicate Application name '"
                    + name
                    + "' generated by "
                    + String.join(" and ", sources)
                    + "; none of them is applied"));
      }
      i = end;
    }
    return applications;
  }
}
