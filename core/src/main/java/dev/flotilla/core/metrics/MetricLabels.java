package dev.flotilla.core.metrics;

import java.net.URI;
import java.util.Locale;

/**
 * Label values shared by the server's and the agent's metrics, normalised so that one thing gets
 * one series: the same repository written three ways is one {@code repo} label, and never carries
 * the credentials a URL may hold.
 */
public final class MetricLabels {

  /** The label value series fold into once a {@link SeriesBudget} is spent. */
  public static final String OTHER = "other";

  /** Longer label values are cut: a label is for grouping, not for storing documents. */
  static final int MAX_VALUE_LENGTH = 200;

  private MetricLabels() {}

  /**
   * {@code https://User:Token@GitHub.com/org/repo.git/} becomes {@code
   * https://github.com/org/repo}: no user information, query or fragment, host in lower case, no
   * {@code .git} or trailing slash. SCP-like addresses ({@code git@host:org/repo.git}) lose the
   * user too.
   */
  public static String repo(String url) {
    if (url == null || url.isBlank()) {
      return "";
    }
    String u = url.trim();
    String normalised;
    int scheme = u.indexOf("://");
    if (scheme < 0) {
      // git@host:path: drop the user, keep host:path.
      int at = u.indexOf('@');
      int colon = u.indexOf(':');
      normalised = at >= 0 && (colon < 0 || at < colon) ? u.substring(at + 1) : u;
      int c = normalised.indexOf(':');
      if (c > 0) {
        normalised = normalised.substring(0, c).toLowerCase(Locale.ROOT) + normalised.substring(c);
      }
    } else {
      try {
        URI uri = new URI(u);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        normalised = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + host + port + path;
      } catch (Exception e) {
        // Not a URI we can parse: at least never export what looks like credentials.
        int at = u.lastIndexOf('@');
        normalised =
            u.substring(0, scheme + 3)
                + (at > scheme ? u.substring(at + 1) : u.substring(scheme + 3));
      }
    }
    while (normalised.endsWith("/")) {
      normalised = normalised.substring(0, normalised.length() - 1);
    }
    if (normalised.endsWith(".git")) {
      normalised = normalised.substring(0, normalised.length() - 4);
    }
    return bounded(normalised);
  }

  /** {@code value} cut to {@value #MAX_VALUE_LENGTH} characters; null becomes empty. */
  public static String bounded(String value) {
    if (value == null) {
      return "";
    }
    return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH);
  }
}
