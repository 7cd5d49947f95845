package dev.flotilla.demo;

import dev.flotilla.git.LocalRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The demo's infra repository: a real Git repository with one directory of plain YAML per app. */
public final class DemoRepository {

  /** The sample applications, each a Deployment, a Service and a ConfigMap. */
  public static final List<String> APPS = List.of("frontend", "backend", "cache");

  private DemoRepository() {}

  /** Creates the repository at {@code dir} with one commit and returns its {@code file://} URL. */
  public static String create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("README.md"),
        "# Demo infra repo\n\nEach directory under apps/ is one application, deployed to every"
            + " cluster.\nEdit a file, `git commit -am ...`, and Flotilla picks it up within seconds.\n");
    int port = 8080;
    for (String app : APPS) {
      writeApp(dir.resolve("apps").resolve(app), app, port++);
    }
    LocalRepository.commitAll(
        dir, "main", "Initial demo applications", "Flotilla demo", "demo@flotilla.invalid");
    return dir.toUri().toString();
  }

  static void writeApp(Path dir, String app, int port) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("configmap.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %1$s-config
        data:
          greeting: "hello from %1$s"
          log-level: info
        """
            .formatted(app));
    Files.writeString(
        dir.resolve("deployment.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
          labels:
            app: %1$s
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: %1$s
          template:
            metadata:
              labels:
                app: %1$s
            spec:
              containers:
                - name: %1$s
                  image: nginxinc/nginx-unprivileged:1.27
                  ports:
                    - containerPort: %2$d
                  envFrom:
                    - configMapRef:
                        name: %1$s-config
        """
            .formatted(app, port));
    Files.writeString(
        dir.resolve("service.yaml"),
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: %1$s
        spec:
          selector:
            app: %1$s
          ports:
            - port: 80
              targetPort: %2$d
        """
            .formatted(app, port));
  }

  /**
   * The demo ApplicationSet, as platform teams write it: a matrix of a git-directory generator
   * ({@code apps/*}) and a cluster generator, so adding a directory deploys a new service to every
   * registered cluster; automated with prune and selfHeal.
   */
  public static String applicationSet(String repoUrl) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: demo
        spec:
          generators:
            - matrix:
                generators:
                  - git:
                      repoURL: %1$s
                      revision: main
                      directories:
                        - path: 'apps/*'
                  - clusters: {}
          template:
            metadata:
              name: '{{path.basename}}-{{name}}'
              labels:
                app: '{{path.basename}}'
            spec:
              project: default
              source:
                repoURL: %1$s
                targetRevision: main
                path: '{{path}}'
              destination:
                name: '{{name}}'
                namespace: '{{path.basename}}'
              syncPolicy:
                automated:
                  prune: true
                  selfHeal: true
                syncOptions:
                  - CreateNamespace=true
        """
        .formatted(repoUrl);
  }
}
