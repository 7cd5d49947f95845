package dev.flotilla.render.chart;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Helm chart an Application names instead of a path in Git, in the shapes Argo CD accepts:
 *
 * <ul>
 *   <li>{@code repoURL: https://charts.example.com/stable} with {@code chart: web}: a Helm chart
 *       repository (its {@code index.yaml});
 *   <li>{@code repoURL: oci://registry.example.com/charts} with {@code chart: web}, or Argo CD's
 *       older form without the scheme, {@code repoURL: registry.example.com/charts}: the chart
 *       {@code registry.example.com/charts/web} in an OCI registry;
 *   <li>{@code repoURL: oci://registry.example.com/charts/web} without {@code chart} (Argo CD 3.1's
 *       OCI source): that chart itself.
 * </ul>
 *
 * {@code targetRevision} is a version or a constraint ({@link VersionConstraint}); empty or {@code
 * HEAD} means the newest stable version, as {@code helm template} without {@code --version}.
 *
 * @param repository for {@link Kind#HELM_REPOSITORY} the repository URL without a trailing slash;
 *     for {@link Kind#OCI} the chart's reference {@code host[:port]/path/name}, without scheme
 */
public record ChartSource(
    Kind kind, String repository, String chart, VersionConstraint version, String repoUrl) {

  /** Where the chart comes from. */
  public enum Kind {
    HELM_REPOSITORY,
    OCI
  }

  private static final Pattern CHART_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** OCI's grammar for a repository path (lower case, separators between alphanumerics). */
  private static final Pattern OCI_PATH =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  private static final Pattern OCI_HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?");

  /** True when the source names a chart rather than a path in Git. */
  public static boolean isChart(String repoUrl, String chart) {
    return !text(chart).isEmpty() || text(repoUrl).toLowerCase(Locale.ROOT).startsWith("oci://");
  }

  /**
   * The chart that {@code repoUrl}, {@code chart} and {@code targetRevision} name, or empty for a
   * Git source.
   *
   * @throws IllegalArgumentException naming the field when they do not make a chart reference
   */
  public static Optional<ChartSource> of(String repoUrl, String chart, String targetRevision) {
    String url = text(repoUrl).trim();
    String name = text(chart).trim();
    if (!isChart(url, name)) {
      return Optional.empty();
    }
    if (url.isEmpty()) {
      throw new IllegalArgumentException("spec.source.chart needs spec.source.repoURL");
    }
    if (!name.isEmpty() && (!CHART_NAME.matcher(name).matches() || name.contains(".."))) {
      throw new IllegalArgumentException(
          "spec.source.chart '" + name + "' is not a chart name (letters, digits, . _ -)");
    }
    VersionConstraint version;
    String revision = text(targetRevision).trim();
    try {
      version =
          VersionConstraint.parse(revision.isEmpty() || revision.equals("HEAD") ? "*" : revision);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "spec.source.targetRevision of chart "
              + (name.isEmpty() ? url : name)
              + " must be a chart version or constraint (1.2.3, 1.2.*, ^1.2, >=1.0.0 <2.0.0): "
              + e.getMessage(),
          e);
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("spec.source.chart is required for " + url);
      }
      checkHttpUrl(url);
      String repo = url.replaceAll("/+$", "");
      return Optional.of(new ChartSource(Kind.HELM_REPOSITORY, repo, name, version, url));
    }
    String reference = lower.startsWith("oci://") ? url.substring("oci://".length()) : url;
    if (reference.contains("://") || reference.startsWith("git@")) {
      throw new IllegalArgumentException(
          "spec.source.chart needs a Helm repository (https://...) or an OCI registry"
              + " (oci://host/path), not "
              + url);
    }
    reference = reference.replaceAll("/+$", "");
    if (!name.isEmpty()) {
      reference = reference + "/" + name;
    }
    int slash = reference.indexOf('/');
    if (slash <= 0
        || !OCI_HOST.matcher(reference.substring(0, slash)).matches()
        || !OCI_PATH.matcher(reference.substring(slash + 1)).matches()) {
      throw new IllegalArgumentException(
          "spec.source.repoURL "
              + url
              + (name.isEmpty() ? "" : " with chart " + name)
              + " is not an OCI chart reference (oci://host[:port]/path/chart, lower case)");
    }
    String chartName = reference.substring(reference.lastIndexOf('/') + 1);
    return Optional.of(new ChartSource(Kind.OCI, reference, chartName, version, url));
  }

  /** The registry's host[:port] (OCI only). */
  public String registry() {
    return repository.substring(0, repository.indexOf('/'));
  }

  /** The repository path in the registry (OCI only). */
  public String ociPath() {
    return repository.substring(repository.indexOf('/') + 1);
  }

  /** How messages name it: the chart and where it comes from, never any credentials. */
  public String display() {
    return kind == Kind.OCI
        ? "chart oci://" + repository
        : "chart " + chart + " of Helm repository " + repository;
  }

  private static void checkHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getRawUserInfo() != null) {
        // Credentials in the spec would be stored, shown and sent everywhere: they belong in the
        // agent's credentials file.
        throw new IllegalArgumentException(
            "spec.source.repoURL must not carry credentials; put them in the agent's"
                + " --helm-credentials file");
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("spec.source.repoURL " + url + " has no host");
      }
    } catch (URISyntaxException e) {
      // Not the input itself: it may hold a password.
      throw new IllegalArgumentException(
          "spec.source.repoURL is not a valid URL: " + e.getReason() + " at index " + e.getIndex(),
          e);
    }
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
