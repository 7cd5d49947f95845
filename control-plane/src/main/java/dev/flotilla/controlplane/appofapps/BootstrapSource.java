package dev.flotilla.controlplane.appofapps;

/**
 * Where a fresh control plane reads its own setup: {@code REPO_URL[@REVISION]:PATH}, from {@code
 * flotilla server --bootstrap} or {@code FLOTILLA_BOOTSTRAP}.
 *
 * <p>PATH follows the last {@code :}; REVISION follows an {@code @} that comes after the URL's last
 * {@code /} (so {@code git@host:org/repo.git} and {@code https://user@host/repo} keep their
 * {@code @}). A path may not contain {@code :}.
 *
 * @param revision a branch, tag or commit; {@code HEAD} when not given
 * @param path a directory inside the repository, {@code .} for its root
 */
public record BootstrapSource(String repoUrl, String revision, String path) {

  /** The form, for error messages. */
  public static final String FORM = "REPO_URL[@REVISION]:PATH";

  /**
   * Parses {@code value}; {@code origin} names where it came from in errors (e.g. {@code
   * --bootstrap}).
   *
   * @throws IllegalArgumentException naming the origin, the form and what is wrong
   */
  public static BootstrapSource parse(String value, String origin) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      throw invalid(origin, v, "it is empty");
    }
    int colon = v.lastIndexOf(':');
    String path = colon < 0 ? "" : v.substring(colon + 1);
    String left = colon < 0 ? v : v.substring(0, colon);
    if (colon < 0 || path.startsWith("//") || left.isEmpty() || !left.contains("/")) {
      throw invalid(origin, v, "no ':PATH' after the repository URL (use ':.' for its root)");
    }
    if (path.isEmpty()) {
      throw invalid(origin, v, "the path after ':' is empty (use ':.' for the root)");
    }
    if (path.startsWith("/") || ("/" + path + "/").contains("/../")) {
      throw invalid(
          origin, v, "path '" + path + "' must be relative and stay inside the repository");
    }
    String url = left;
    String revision = "HEAD";
    int at = left.lastIndexOf('@');
    if (at > left.lastIndexOf('/')) {
      url = left.substring(0, at);
      revision = left.substring(at + 1);
      if (revision.isEmpty()) {
        throw invalid(origin, v, "the revision after '@' is empty");
      }
    }
    if (url.isEmpty() || url.chars().anyMatch(Character::isWhitespace)) {
      throw invalid(origin, v, "the repository URL is empty or contains spaces");
    }
    boolean scp = !url.contains("://") && url.matches("[^/]+@[^/:]+:.+");
    if (!scp && !url.matches("(https?|ssh|git)://[^/]+/.+|file:///?[^/].*")) {
      throw invalid(
          origin,
          v,
          "'"
              + url
              + "' is not a repository URL (https://, ssh://, git://, file:// or git@host:repo)");
    }
    return new BootstrapSource(url, revision, path);
  }

  private static IllegalArgumentException invalid(String origin, String value, String why) {
    return new IllegalArgumentException(origin + " '" + value + "' is not " + FORM + ": " + why);
  }
}
