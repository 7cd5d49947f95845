package dev.flotilla.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.glob.Glob;
import dev.flotilla.core.regex.RegexBudgetExceededException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Argo CD's plain "directory" source: every {@code .yaml}, {@code .yml} and {@code .json} file of
 * the Application's directory (and below it with {@code recurse}), filtered by include/exclude
 * globs, in path order.
 */
public final class DirectoryRenderer {

  private final ManifestParser parser;
  private final RenderLimits limits;

  public DirectoryRenderer(RenderLimits limits) {
    this.limits = limits;
    this.parser = new ManifestParser(limits);
  }

  public List<ObjectNode> render(RepoPaths repo, Path appDir, RenderSource.Directory directory)
      throws RenderException {
    RenderSource.Directory dir = directory == null ? RenderSource.Directory.DEFAULT : directory;
    Glob include = filter(dir.include());
    Glob exclude = filter(dir.exclude());
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = dir.recurse() ? Files.walk(appDir) : Files.list(appDir)) {
      walk.filter(p -> isManifestName(p.getFileName().toString()))
          .filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .forEach(files::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new RenderException("cannot list " + repo.display(appDir) + ": " + e.getMessage(), e);
    }
    List<ObjectNode> objects = new ArrayList<>();
    long total = 0;
    for (Path file : files) {
      String relative = appDir.relativize(file).toString().replace('\\', '/');
      try {
        if (include != null && !include.matches(relative)
            || exclude != null && exclude.matches(relative)) {
          continue;
        }
      } catch (RegexBudgetExceededException e) {
        throw new RenderException(
            "directory include/exclude pattern is too expensive on " + repo.display(file), e);
      }
      String display = repo.display(file);
      Path real = repo.requireInside(file, display);
      if (!Files.isRegularFile(real)) {
        continue;
      }
      long size;
      try {
        size = Files.size(real);
      } catch (IOException e) {
        throw new RenderException(display + ": cannot read: " + e.getMessage(), e);
      }
      if (size > limits.maxFileBytes()) {
        throw new RenderException(
            display
                + " is "
                + size
                + " bytes, over the per-file limit of "
                + limits.maxFileBytes());
      }
      total += size;
      if (total > limits.maxTotalBytes()) {
        throw new RenderException(
            "manifests of this application exceed the limit of "
                + limits.maxTotalBytes()
                + " bytes (at "
                + display
                + ")");
      }
      String text;
      try {
        text = Files.readString(real, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new RenderException(display + ": cannot read: " + e.getMessage(), e);
      }
      objects.addAll(parser.parse(text, display));
      if (objects.size() > limits.maxObjects()) {
        throw new RenderException(
            "application renders more than " + limits.maxObjects() + " objects");
      }
    }
    return objects;
  }

  static boolean isManifestName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  /** An include or exclude pattern; none (null) when empty. */
  private static Glob filter(String glob) {
    return glob == null || glob.isBlank() ? null : Glob.compile(glob.trim(), Glob.Mode.RENDER_FILE);
  }
}
