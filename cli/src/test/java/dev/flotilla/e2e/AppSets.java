package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;

import dev.flotilla.testkit.TestRepo;
import java.nio.file.Path;

/** ApplicationSet documents the end-to-end tests share, and the repository they deploy. */
final class AppSets {

  private AppSets() {}

  /**
   * A new Git repository in {@code dir} whose apps/one holds ConfigMap one-config with this {@code
   * greeting}, committed with {@code message}: what {@link #appsOneOn} deploys.
   */
  static TestRepo appsOneRepo(Path dir, String greeting, String message) throws Exception {
    TestRepo repo = new TestRepo(dir);
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", greeting));
    repo.commit(message);
    return repo;
  }

  /** Every directory under apps/ as an Application on cluster east, automated with prune. */
  static String gitDirectories(String repoUrl) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: dirs
        spec:
          generators:
            - git:
                repoURL: %s
                revision: main
                directories:
                  - path: apps/*
          template:
            metadata:
              name: '{{path.basename}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: '{{path}}'
              destination:
                name: east
                namespace: '{{path.basename}}'
              syncPolicy:
                automated:
                  prune: true
        """
        .formatted(repoUrl, repoUrl);
  }

  /** Automated sync policy lines for a template spec. */
  static String automated(boolean prune, boolean selfHeal) {
    return """
              syncPolicy:
                automated:
                  prune: %s
                  selfHeal: %s
        """
        .formatted(prune, selfHeal);
  }

  /**
   * apps/one deployed to each cluster as '{@code appPrefix}-{cluster}' in namespace one, with the
   * given template {@code syncPolicy} lines (empty for manual sync).
   */
  static String appsOneOn(
      String name, String appPrefix, String repoUrl, String syncPolicy, String... clusters) {
    StringBuilder elements = new StringBuilder();
    for (String c : clusters) {
      elements.append("          - cluster: ").append(c).append('\n');
    }
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - list:
                elements:
        %s  template:
            metadata:
              name: '%s-{{cluster}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/one
              destination:
                name: '{{cluster}}'
                namespace: one
        %s"""
        .formatted(name, elements, appPrefix, repoUrl, syncPolicy);
  }
}
