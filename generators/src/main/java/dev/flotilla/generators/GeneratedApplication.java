package dev.flotilla.generators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.model.Application;
import dev.flotilla.core.model.Source;

/**
 * One Argo CD {@code argoproj.io/v1alpha1 Application} rendered from an ApplicationSet template.
 *
 * @param document the whole Application document (apiVersion, kind, metadata, spec) exactly as
 *     rendered: it is what is stored and sent, so fields the typed model does not know reach the
 *     agent unchanged
 * @param application the same document, typed; every field read for a decision is read here
 */
public record GeneratedApplication(String name, ObjectNode document, Application application) {

  /**
   * Types {@code document} with core's parser.
   *
   * @throws IllegalArgumentException naming the field when a known field has the wrong type
   */
  public GeneratedApplication(String name, ObjectNode document) {
    this(name, document, Application.parse(document));
  }

  public ObjectNode spec() {
    return (ObjectNode) document.path("spec");
  }

  public String project() {
    return application.project();
  }

  public String destinationName() {
    return text(application.spec().destination().name());
  }

  public String destinationServer() {
    return text(application.spec().destination().server());
  }

  public String destinationNamespace() {
    return text(application.spec().destination().namespace());
  }

  /** {@code spec.source.repoURL} (single-source Applications). */
  public String repoUrl() {
    Source source = application.spec().source();
    return source == null ? "" : text(source.repoURL());
  }

  /**
   * True when the source is a Helm chart from a Helm repository or OCI registry ({@code chart} set,
   * or an {@code oci://} repoURL) rather than a path in Git: its agent resolves the version.
   */
  public boolean isChart() {
    Source source = application.spec().source();
    return source != null
        && (!text(source.chart()).isEmpty() || text(source.repoURL()).startsWith("oci://"));
  }

  /** {@code spec.source.targetRevision}, defaulting to HEAD as Argo CD does. */
  public String targetRevision() {
    Source source = application.spec().source();
    return source == null ? "HEAD" : source.targetRevisionOrHead();
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
