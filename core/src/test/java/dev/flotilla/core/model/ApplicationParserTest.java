package dev.flotilla.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApplicationParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A document that uses every modelled field, plus fields the model does not know. */
  private static final String FULL =
      """
      {"apiVersion":"argoproj.io/v1alpha1","kind":"Application",
       "metadata":{"name":"billing","namespace":"argocd","labels":{"team":"payments"},
                   "annotations":{"note":"x"},"finalizers":["resources-finalizer.argocd.argoproj.io"],
                   "uid":"1234"},
       "spec":{"project":"payments",
               "source":{"repoURL":"https://git.example/infra.git","path":"apps/billing",
                         "targetRevision":"main","chart":"nginx","ref":"values",
                         "helm":{"releaseName":"b","namespace":"n","valueFiles":["v.yaml"],
                                 "ignoreMissingValueFiles":true,"values":"a: 1",
                                 "valuesObject":{"replicas":2},
                                 "parameters":[{"name":"image.tag","value":"v1","forceString":true}],
                                 "skipCrds":true,"version":"v3"},
                         "kustomize":{"namePrefix":"p-","nameSuffix":"-s","namespace":"k",
                                      "images":["nginx:1.27"],"commonLabels":{"a":"b"}},
                         "directory":{"recurse":true,"include":"*.yaml","exclude":"test/*",
                                      "jsonnet":{"tlas":[]}}},
               "sources":[{"repoURL":"https://git.example/values.git","ref":"values"}],
               "destination":{"server":"https://kubernetes.default.svc","name":"in-cluster",
                              "namespace":"billing"},
               "syncPolicy":{"automated":{"prune":true,"selfHeal":true,"allowEmpty":true,
                                          "enabled":true},
                             "syncOptions":["CreateNamespace=true"],
                             "retry":{"limit":5,"backoff":{"duration":"5s","factor":2,
                                                           "maxDuration":"3m"}},
                             "managedNamespaceMetadata":{"labels":{"a":"b"}}},
               "ignoreDifferences":[{"group":"apps","kind":"Deployment","name":"web",
                                     "namespace":"billing","jsonPointers":["/spec/replicas"],
                                     "jqPathExpressions":[".a"]}],
               "revisionHistoryLimit":3},
       "status":{"sync":{"status":"Synced"}}}
      """;

  record Field(String name, Function<Application, Object> read, Object expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Field> fields() {
    return Stream.of(
        new Field("metadata.name", Application::name, "billing"),
        new Field("metadata.namespace", Application::namespace, "argocd"),
        new Field("metadata.labels", Application::labels, Map.of("team", "payments")),
        new Field("metadata.annotations", Application::annotations, Map.of("note", "x")),
        new Field(
            "metadata.finalizers",
            Application::finalizers,
            List.of("resources-finalizer.argocd.argoproj.io")),
        new Field("spec.project", Application::project, "payments"),
        new Field("spec.source.repoURL", a -> source(a).repoURL(), "https://git.example/infra.git"),
        new Field("spec.source.path", a -> source(a).path(), "apps/billing"),
        new Field("spec.source.targetRevision", a -> source(a).targetRevision(), "main"),
        new Field("spec.source.chart", a -> source(a).chart(), "nginx"),
        new Field("spec.source.helm.releaseName", a -> helm(a).releaseName(), "b"),
        new Field("spec.source.helm.namespace", a -> helm(a).namespace(), "n"),
        new Field("spec.source.helm.valueFiles", a -> helm(a).valueFiles(), List.of("v.yaml")),
        new Field(
            "spec.source.helm.ignoreMissingValueFiles",
            a -> helm(a).ignoreMissingValueFiles(),
            true),
        new Field("spec.source.helm.values", a -> helm(a).values(), "a: 1"),
        new Field(
            "spec.source.helm.valuesObject",
            a -> helm(a).valuesObject().path("replicas").intValue(),
            2),
        new Field(
            "spec.source.helm.parameters",
            a -> helm(a).parameters(),
            List.of(new HelmParameter("image.tag", "v1", true))),
        new Field("spec.source.helm.skipCrds", a -> helm(a).skipCrds(), true),
        new Field("spec.source.kustomize.namePrefix", a -> kust(a).namePrefix(), "p-"),
        new Field("spec.source.kustomize.nameSuffix", a -> kust(a).nameSuffix(), "-s"),
        new Field("spec.source.kustomize.namespace", a -> kust(a).namespace(), "k"),
        new Field("spec.source.kustomize.images", a -> kust(a).images(), List.of("nginx:1.27")),
        new Field("spec.source.directory.recurse", a -> dir(a).recurse(), true),
        new Field("spec.source.directory.include", a -> dir(a).include(), "*.yaml"),
        new Field("spec.source.directory.exclude", a -> dir(a).exclude(), "test/*"),
        new Field(
            "spec.sources[0].repoURL",
            a -> a.spec().sources().get(0).repoURL(),
            "https://git.example/values.git"),
        new Field(
            "spec.destination.server",
            a -> a.spec().destination().server(),
            "https://kubernetes.default.svc"),
        new Field("spec.destination.name", a -> a.spec().destination().name(), "in-cluster"),
        new Field("spec.destination.namespace", a -> a.spec().destination().namespace(), "billing"),
        new Field(
            "spec.syncPolicy.automated",
            a -> a.spec().syncPolicy().automated(),
            new Automated(true, true, true, true)),
        new Field(
            "spec.syncPolicy.syncOptions",
            a -> a.spec().syncPolicy().syncOptions(),
            List.of("CreateNamespace=true")),
        new Field("spec.syncPolicy.retry.limit", a -> a.spec().syncPolicy().retry().limit(), 5L),
        new Field(
            "spec.syncPolicy.retry.backoff",
            a -> a.spec().syncPolicy().retry().backoff(),
            new Backoff("5s", 2L, "3m")),
        new Field(
            "spec.ignoreDifferences[0]",
            a -> {
              IgnoreDifference d = a.spec().ignoreDifferences().get(0);
              return List.of(d.group(), d.kind(), d.name(), d.namespace(), d.jsonPointers());
            },
            List.of("apps", "Deployment", "web", "billing", List.of("/spec/replicas"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fields")
  void readsEveryField(Field f) {
    assertThat(f.read().apply(Application.parse(json(FULL)))).isEqualTo(f.expected());
  }

  record Unknown(String path, Function<Application, JsonNode> read, String expectedJson) {
    @Override
    public String toString() {
      return path;
    }
  }

  static Stream<Unknown> unknowns() {
    return Stream.of(
        new Unknown("status", a -> a.unknown().get("status"), "{\"sync\":{\"status\":\"Synced\"}}"),
        new Unknown("metadata.uid", a -> a.unknownMetadata().get("uid"), "\"1234\""),
        new Unknown(
            "spec.revisionHistoryLimit", a -> a.spec().unknown().get("revisionHistoryLimit"), "3"),
        new Unknown("spec.source.ref", a -> source(a).unknown().get("ref"), "\"values\""),
        new Unknown("spec.source.helm.version", a -> helm(a).unknown().get("version"), "\"v3\""),
        new Unknown(
            "spec.source.kustomize.commonLabels",
            a -> kust(a).unknown().get("commonLabels"),
            "{\"a\":\"b\"}"),
        new Unknown(
            "spec.source.directory.jsonnet", a -> dir(a).unknown().get("jsonnet"), "{\"tlas\":[]}"),
        new Unknown(
            "spec.sources[0].ref",
            a -> a.spec().sources().get(0).unknown().get("ref"),
            "\"values\""),
        new Unknown(
            "spec.syncPolicy.managedNamespaceMetadata",
            a -> a.spec().syncPolicy().unknown().get("managedNamespaceMetadata"),
            "{\"labels\":{\"a\":\"b\"}}"),
        new Unknown(
            "spec.ignoreDifferences[0].jqPathExpressions",
            a -> a.spec().ignoreDifferences().get(0).unknown().get("jqPathExpressions"),
            "[\".a\"]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknowns")
  void keepsFieldsTheModelDoesNotKnow(Unknown u) {
    assertThat(u.read().apply(Application.parse(json(FULL)))).isEqualTo(json(u.expectedJson()));
  }

  @Test
  void writesBackWhatItReadIncludingUnknownFields() {
    JsonNode document = json(FULL);

    Application app = Application.parse(document);

    assertThat(app.toJson()).isEqualTo(document);
    assertThat(Application.parse(app.toJson())).isEqualTo(app);
  }

  @Test
  void anEmptySpecIsManualWithNoSourceAndRoundTrips() {
    ApplicationSpec spec = ApplicationSpec.parse(json("{}"));

    assertThat(spec.source()).isNull();
    assertThat(spec.syncPolicy()).isNull();
    assertThat(spec.destination()).isEqualTo(Destination.NONE);
    assertThat(spec.toJson()).isEqualTo(json("{}"));
    assertThat(ApplicationSpec.parse(null)).isEqualTo(spec);
  }

  @Test
  void quotedBooleansAndNumbersAreReadAsTemplatesRenderThem() {
    ApplicationSpec spec =
        ApplicationSpec.parse(
            json(
                "{\"syncPolicy\":{\"automated\":{\"prune\":\"true\",\"enabled\":\"false\"},"
                    + "\"retry\":{\"limit\":\" -1 \"}}}"));

    assertThat(spec.syncPolicy().automated().prune()).isTrue();
    assertThat(spec.syncPolicy().isAutomated()).isFalse();
    assertThat(spec.syncPolicy().retry().limit()).isEqualTo(-1L);
  }

  @Test
  void allSourcesListsTheSingleSourceFirst() {
    ApplicationSpec spec =
        ApplicationSpec.parse(
            json("{\"source\":{\"repoURL\":\"a\"},\"sources\":[{\"repoURL\":\"b\"}]}"));

    assertThat(spec.allSources()).extracting(Source::repoURL).containsExactly("a", "b");
    assertThat(spec.source().targetRevisionOrHead()).isEqualTo("HEAD");
  }

  record Bad(String document, String messagePart) {
    @Override
    public String toString() {
      return messagePart;
    }
  }

  static Stream<Bad> bad() {
    return Stream.of(
        new Bad("[]", "an Application document must be an object, got ARRAY"),
        new Bad("{\"metadata\":[]}", "metadata must be an object, got ARRAY"),
        new Bad("{\"metadata\":{\"name\":1}}", "metadata.name must be a string, got NUMBER"),
        new Bad("{\"metadata\":{\"namespace\":true}}", "metadata.namespace must be a string"),
        new Bad(
            "{\"metadata\":{\"labels\":{\"team\":1}}}",
            "metadata.labels.team must be a string, got NUMBER"),
        new Bad("{\"metadata\":{\"annotations\":\"x\"}}", "metadata.annotations must be an object"),
        new Bad("{\"metadata\":{\"finalizers\":[1]}}", "metadata.finalizers[0] must be a string"),
        new Bad("{\"spec\":\"x\"}", "spec must be an object, got STRING"),
        new Bad("{\"spec\":{\"project\":{}}}", "spec.project must be a string, got OBJECT"),
        new Bad("{\"spec\":{\"source\":3}}", "spec.source must be an object, got NUMBER"),
        new Bad("{\"spec\":{\"source\":{\"repoURL\":1}}}", "spec.source.repoURL must be a string"),
        new Bad("{\"spec\":{\"source\":{\"path\":3}}}", "spec.source.path must be a string"),
        new Bad(
            "{\"spec\":{\"source\":{\"targetRevision\":[]}}}",
            "spec.source.targetRevision must be a string"),
        new Bad("{\"spec\":{\"source\":{\"chart\":1}}}", "spec.source.chart must be a string"),
        new Bad(
            "{\"spec\":{\"source\":{\"directory\":{\"recurse\":\"maybe\"}}}}",
            "spec.source.directory.recurse must be true or false"),
        new Bad(
            "{\"spec\":{\"source\":{\"directory\":{\"include\":1}}}}",
            "spec.source.directory.include must be a string"),
        new Bad(
            "{\"spec\":{\"source\":{\"helm\":{\"valueFiles\":\"v.yaml\"}}}}",
            "spec.source.helm.valueFiles must be a list"),
        new Bad(
            "{\"spec\":{\"source\":{\"helm\":{\"valuesObject\":\"a: 1\"}}}}",
            "spec.source.helm.valuesObject must be an object"),
        new Bad(
            "{\"spec\":{\"source\":{\"helm\":{\"parameters\":[{\"value\":\"v\"}]}}}}",
            "spec.source.helm.parameters[0].name is required"),
        new Bad(
            "{\"spec\":{\"source\":{\"helm\":{\"skipCrds\":1}}}}",
            "spec.source.helm.skipCrds must be true or false"),
        new Bad(
            "{\"spec\":{\"source\":{\"kustomize\":{\"images\":[{}]}}}}",
            "spec.source.kustomize.images[0] must be a string"),
        new Bad("{\"spec\":{\"sources\":{}}}", "spec.sources must be a list, got OBJECT"),
        new Bad(
            "{\"spec\":{\"sources\":[{\"repoURL\":2}]}}",
            "spec.sources[0].repoURL must be a string"),
        new Bad("{\"spec\":{\"destination\":\"x\"}}", "spec.destination must be an object"),
        new Bad(
            "{\"spec\":{\"destination\":{\"server\":1}}}",
            "spec.destination.server must be a string"),
        new Bad(
            "{\"spec\":{\"destination\":{\"name\":1}}}", "spec.destination.name must be a string"),
        new Bad(
            "{\"spec\":{\"destination\":{\"namespace\":1}}}",
            "spec.destination.namespace must be a string"),
        new Bad("{\"spec\":{\"syncPolicy\":[]}}", "spec.syncPolicy must be an object"),
        new Bad(
            "{\"spec\":{\"syncPolicy\":{\"automated\":{\"prune\":\"yes\"}}}}",
            "spec.syncPolicy.automated.prune must be true or false"),
        new Bad(
            "{\"spec\":{\"syncPolicy\":{\"automated\":{\"enabled\":2}}}}",
            "spec.syncPolicy.automated.enabled must be true or false"),
        new Bad(
            "{\"spec\":{\"syncPolicy\":{\"syncOptions\":\"Prune=false\"}}}",
            "spec.syncPolicy.syncOptions must be a list"),
        new Bad(
            "{\"spec\":{\"syncPolicy\":{\"retry\":{\"limit\":\"x\"}}}}",
            "spec.syncPolicy.retry.limit must be an integer"),
        new Bad(
            "{\"spec\":{\"syncPolicy\":{\"retry\":{\"backoff\":{\"duration\":\"soon\"}}}}}",
            "spec.syncPolicy.retry.backoff.duration: 'soon' is not a duration: use 30s, 3m,"),
        new Bad(
            "{\"spec\":{\"syncPolicy\":{\"retry\":{\"backoff\":{\"factor\":1.5}}}}}",
            "spec.syncPolicy.retry.backoff.factor must be an integer"),
        new Bad(
            "{\"spec\":{\"syncPolicy\":{\"retry\":{\"backoff\":{\"maxDuration\":\"\"}}}}}",
            "spec.syncPolicy.retry.backoff.maxDuration: an empty text is not a duration"),
        new Bad(
            "{\"spec\":{\"ignoreDifferences\":[{\"group\":\"apps\"}]}}",
            "spec.ignoreDifferences[0].kind is required"),
        new Bad(
            "{\"spec\":{\"ignoreDifferences\":[{\"kind\":\"A\",\"jsonPointers\":[1]}]}}",
            "spec.ignoreDifferences[0].jsonPointers[0] must be a string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void namesTheBadField(Bad b) {
    assertThatThrownBy(() -> Application.parse(json(b.document())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(b.messagePart());
  }

  @Test
  void recordsCannotBeChangedThroughWhatTheyWereBuiltFrom() {
    JsonNode document = json(FULL);
    Application app = Application.parse(document);

    ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("status")).put("x", 1);

    assertThat(app.unknown().get("status").has("x")).isFalse();
  }

  private static Source source(Application a) {
    return a.spec().source();
  }

  private static Helm helm(Application a) {
    return source(a).helm();
  }

  private static Kustomize kust(Application a) {
    return source(a).kustomize();
  }

  private static Directory dir(Application a) {
    return source(a).directory();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
