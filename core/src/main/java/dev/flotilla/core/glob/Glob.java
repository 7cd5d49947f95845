package dev.flotilla.core.glob;

import dev.flotilla.core.regex.BoundedText;
import dev.flotilla.core.regex.RegexBudgetExceededException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One glob matcher for every place Flotilla matches a pattern. Argo CD itself matches with several
 * dialects (Go's {@code path.Match}, git pathspecs, gobwas/glob with and without separators,
 * Casbin's key match), and users' patterns rely on each, so the dialect is an explicit {@link Mode}
 * chosen by the caller rather than one compromise that would change what existing patterns match.
 *
 * <p>Regex-backed modes match within the read budget of {@link BoundedText}, because Java's engine
 * backtracks where Go's is linear; {@link Mode#RBAC} needs no regex and is linear by construction.
 */
public final class Glob {

  /** The dialects, each named after who uses it. */
  public enum Mode {
    /**
     * Go's {@code path.Match}, as the git directory generator uses it: {@code *} and {@code ?}
     * never cross a {@code /}; {@code [abc]}, {@code [a-z]}, {@code [^abc]} (or {@code [!abc]}) and
     * {@code \} escapes. A malformed pattern is refused with {@link IllegalArgumentException}.
     */
    PATH_SEGMENT,
    /**
     * Git pathspec matching, Argo's default for the git files generator: as {@link #PATH_SEGMENT}
     * but {@code *} and {@code ?} also match {@code /}, so {@code apps/*.yaml} finds YAML files at
     * any depth below {@code apps}.
     */
    PATH_GREEDY,
    /**
     * AppProject fields (destinations, namespaces, sync windows...), gobwas/glob without a
     * separator: {@code *} any run of characters, {@code ?} one character, {@code [abc]}/{@code
     * [!abc]} classes and {@code {a,b}} alternatives. A pattern that does not compile is compared
     * literally, as Argo does; {@code !} negation is the caller's (it means "deny" only in some
     * fields).
     */
    PROJECT,
    /**
     * AppProject {@code sourceRepos}: as {@link #PROJECT} with {@code /} as separator, so {@code *}
     * and {@code ?} stay within one segment and {@code **} crosses segments.
     */
    PROJECT_REPO,
    /**
     * RBAC policy lines: {@code *} matches any run of characters including {@code /} (so {@code
     * team-a/*} covers every app of project team-a), {@code ?} one character, everything else is
     * literal. No regular expression: O(pattern × text) at worst.
     */
    RBAC,
    /**
     * An Application's {@code directory.include}/{@code exclude} against a path relative to its
     * directory, gobwas/glob compiled without separators as in Argo: {@code *} (also across
     * {@code /}), {@code ?}, {@code [...]} and {@code {a,b}}; an unclosed {@code {} is closed, an
     * unclosed {@code [} is literal.
     */
    RENDER_FILE,
    /**
     * AppProject resource white- and blacklists (group, kind, name): Go's {@code filepath.Match} as
     * Argo CD uses it: {@code *} any run of characters except {@code /}, {@code ?} one such
     * character, {@code [a-z]}/{@code [^a-z]} classes, {@code \} escapes. A malformed pattern is
     * refused, naming the problem. No regular expression: linear in pattern × text.
     */
    RESOURCE
  }

  /** Compiled patterns of the static {@link #matches(String, String, Mode, boolean)}. */
  private static final Map<String, Glob> CACHE = new ConcurrentHashMap<>();

  /** Far above the patterns of any real set of projects; keeps a hostile stream from growing it. */
  private static final int CACHE_LIMIT = 10_000;

  private final String text;
  private final Mode mode;

  /**
   * Null when the pattern is matched without a regex: RBAC, RESOURCE, or a PROJECT pattern compared
   * literally.
   */
  private final Pattern pattern;

  private Glob(String text, Mode mode, Pattern pattern) {
    this.text = text;
    this.mode = mode;
    this.pattern = pattern;
  }

  /**
   * @throws IllegalArgumentException for a malformed pattern in a mode that refuses them ({@link
   *     Mode#PATH_SEGMENT}, {@link Mode#PATH_GREEDY}, {@link Mode#RENDER_FILE}), naming what is
   *     wrong
   */
  public static Glob compile(String glob, Mode mode) {
    Pattern compiled =
        switch (mode) {
          case PATH_SEGMENT -> GlobRegex.path(glob, "[^/]*", "[^/]");
          case PATH_GREEDY -> GlobRegex.path(glob, ".*", ".");
          case PROJECT -> GlobRegex.project(glob, null);
          case PROJECT_REPO -> GlobRegex.project(glob, '/');
          case RENDER_FILE -> GlobRegex.renderFile(glob);
          case RESOURCE -> {
            FilepathMatch.error(glob)
                .ifPresent(
                    problem -> {
                      throw new IllegalArgumentException(problem);
                    });
            yield null;
          }
          case RBAC -> null;
        };
    return new Glob(glob, mode, compiled);
  }

  /**
   * Whether {@code value} matches {@code glob}, compiling each pattern once.
   *
   * @param onTooExpensive the answer when matching would take too long: false for allow entries and
   *     true for deny entries, so that a pathological pattern never widens access
   */
  public static boolean matches(String glob, String value, Mode mode, boolean onTooExpensive) {
    if (mode == Mode.RBAC) {
      return RbacMatch.matches(glob, value);
    }
    if (CACHE.size() > CACHE_LIMIT) {
      CACHE.clear();
    }
    Glob compiled = CACHE.computeIfAbsent(mode + "\u0000" + glob, k -> compile(glob, mode));
    return compiled.matches(value, onTooExpensive);
  }

  /**
   * @throws RegexBudgetExceededException for a pattern that would take too long on this text
   */
  public boolean matches(String value) {
    if (mode == Mode.RBAC) {
      return RbacMatch.matches(text, value);
    }
    if (mode == Mode.RESOURCE) {
      return text.equals("*") || FilepathMatch.matches(text, value);
    }
    if ((mode == Mode.PROJECT || mode == Mode.PROJECT_REPO) && text.equals("*")) {
      // As Argo: "*" allows everything, also across separators.
      return true;
    }
    if (pattern == null) {
      return text.equals(value);
    }
    return BoundedText.matches(pattern, value);
  }

  /** As {@link #matches(String)}, answering {@code onTooExpensive} past the budget. */
  public boolean matches(String value, boolean onTooExpensive) {
    try {
      return matches(value);
    } catch (RegexBudgetExceededException e) {
      return onTooExpensive;
    }
  }

  /**
   * Why {@code glob} is malformed in {@code mode} (for validating input where it enters), or empty
   * when it compiles; modes that compare a bad pattern literally never report one.
   */
  public static Optional<String> error(String glob, Mode mode) {
    try {
      compile(glob, mode);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage() == null ? "invalid pattern" : e.getMessage());
    }
  }

  public Mode mode() {
    return mode;
  }

  @Override
  public String toString() {
    return text;
  }
}
