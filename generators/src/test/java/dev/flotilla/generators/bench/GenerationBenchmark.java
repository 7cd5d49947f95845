package dev.flotilla.generators.bench;

import dev.flotilla.generators.ApplicationSet;
import dev.flotilla.generators.ApplicationSetEngine;
import dev.flotilla.generators.ApplicationSetParser;
import dev.flotilla.generators.ClusterInfo;
import dev.flotilla.generators.GenerationResult;
import dev.flotilla.generators.InMemoryInputs;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (a main, not a unit test): a matrix of a git directory generator (N directories) and a
 * cluster generator (10 clusters), rendered with fasttemplate and with goTemplate.
 *
 * <p>Run from /work/main:
 *
 * <pre>
 * mvn -q -pl generators test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx1g -XX:+UseParallelGC -cp generators/target/classes:generators/target/test-classes:$(cat generators/target/cp.txt) \
 *   dev.flotilla.generators.bench.GenerationBenchmark
 * </pre>
 */
public final class GenerationBenchmark {

  private static final String REPO = "https://git.example.com/infra.git";
  private static final int CLUSTERS = 10;

  private GenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    String only = args.length > 1 ? args[1] : "all";
    int[] directoryCounts =
        args.length > 2 ? new int[] {Integer.parseInt(args[2])} : new int[] {100, 1_000, 10_000};
    System.out.printf(
        "cores=%d maxHeap=%dMiB java=%s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        System.getProperty("java.version"));
    for (boolean goTemplate : new boolean[] {false, true}) {
      if (!only.equals("all") && only.equals("go") != goTemplate) {
        continue;
      }
      for (int directories : directoryCounts) {
        InMemoryInputs inputs = inputs(directories);
        ApplicationSet appSet = ApplicationSetParser.parse(appSet(goTemplate));
        ApplicationSetEngine engine = new ApplicationSetEngine();
        // Warm up the JIT on this size before timing.
        for (int i = 0; i < 2; i++) {
          check(engine.generate(appSet, inputs), directories);
        }
        List<Long> millis = new ArrayList<>();
        long retainedBytes = 0;
        for (int i = 0; i < runs; i++) {
          System.gc();
          long before = usedHeap();
          long start = System.nanoTime();
          GenerationResult result = engine.generate(appSet, inputs);
          long elapsed = System.nanoTime() - start;
          millis.add(elapsed / 1_000_000);
          check(result, directories);
          System.gc();
          retainedBytes = Math.max(retainedBytes, usedHeap() - before);
          if (result.applications().isEmpty()) {
            throw new IllegalStateException("unreachable; keeps result alive");
          }
        }
        Collections.sort(millis);
        System.out.printf(
            "%-12s apps=%7d  median=%5d ms  min=%5d ms  max=%5d ms  retained≈%4d MiB  peakHeap=%4d MiB%n",
            goTemplate ? "goTemplate" : "fasttemplate",
            directories * CLUSTERS,
            millis.get(millis.size() / 2),
            millis.get(0),
            millis.get(millis.size() - 1),
            retainedBytes / (1024 * 1024),
            peakHeap() / (1024 * 1024));
      }
    }
  }

  private static void check(GenerationResult result, int directories) {
    if (result.hasErrors() || result.applications().size() != directories * CLUSTERS) {
      throw new IllegalStateException(
          "unexpected result: "
              + result.applications().size()
              + " apps, errors "
              + result.errors());
    }
  }

  private static InMemoryInputs inputs(int directories) {
    InMemoryInputs inputs = new InMemoryInputs();
    for (int c = 0; c < CLUSTERS; c++) {
      inputs.cluster(
          new ClusterInfo(
              "cluster-" + c,
              "https://10.0.0." + c,
              Map.of("env", c % 2 == 0 ? "prod" : "staging", "region", "r" + c),
              Map.of("team", "platform")));
    }
    for (int d = 0; d < directories; d++) {
      inputs.file(
          REPO, String.format("apps/app-%05d/kustomization.yaml", d), "kind: Kustomization\n");
    }
    return inputs;
  }

  private static String appSet(boolean goTemplate) {
    if (!goTemplate) {
      return """
          apiVersion: argoproj.io/v1alpha1
          kind: ApplicationSet
          metadata: {name: bench, namespace: argocd}
          spec:
            generators:
            - matrix:
                generators:
                - git:
                    repoURL: https://git.example.com/infra.git
                    revision: HEAD
                    directories: [{path: 'apps/*'}]
                - clusters: {}
            template:
              metadata:
                name: '{{path.basename}}-{{nameNormalized}}'
                labels:
                  app: '{{path.basename}}'
                  env: '{{metadata.labels.env}}'
              spec:
                project: default
                source:
                  repoURL: https://git.example.com/infra.git
                  targetRevision: HEAD
                  path: '{{path}}'
                destination:
                  server: '{{server}}'
                  namespace: '{{path.basename}}'
                syncPolicy:
                  automated: {prune: true, selfHeal: true}
                  syncOptions: [CreateNamespace=true]
          """;
    }
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata: {name: bench, namespace: argocd}
        spec:
          goTemplate: true
          goTemplateOptions: ["missingkey=error"]
          generators:
          - matrix:
              generators:
              - git:
                  repoURL: https://git.example.com/infra.git
                  revision: HEAD
                  directories: [{path: 'apps/*'}]
              - clusters: {}
          template:
            metadata:
              name: '{{ .path.basename }}-{{ .nameNormalized }}'
              labels:
                app: '{{ .path.basename }}'
                env: '{{ .metadata.labels.env | default "none" }}'
            spec:
              project: default
              source:
                repoURL: https://git.example.com/infra.git
                targetRevision: HEAD
                path: '{{ .path.path }}'
              destination:
                server: '{{ .server }}'
                namespace: '{{ .path.basename | normalize }}'
              syncPolicy:
                automated: {prune: true, selfHeal: true}
                syncOptions: [CreateNamespace=true]
        """;
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
