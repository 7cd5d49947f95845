package dev.flotilla.simulator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryObjectStoreTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceType DEPLOYMENTS = BuiltinTypes.of("apps", "deployments");
  private static final ResourceType CONFIGMAPS = BuiltinTypes.of("", "configmaps");

  private final MemoryObjectStore store =
      new MemoryObjectStore(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC), 5);

  static ObjectNode object(String json) {
    try {
      return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ObjectNode deployment(String ns, String name, int replicas) {
    return object(
        "{'metadata':{'name':'"
            + name
            + "','namespace':'"
            + ns
            + "','labels':{'app':'"
            + name
            + "'}},'spec':{'replicas':"
            + replicas
            + "}}");
  }

  @Test
  void startsWithTheNamespacesOfAFreshCluster() {
    assertThat(store.list(BuiltinTypes.NAMESPACES, null, o -> true))
        .extracting(o -> o.at("/metadata/name").asText())
        .containsExactly("default", "kube-node-lease", "kube-public", "kube-system");
    assertThat(
            store
                .get(BuiltinTypes.NAMESPACES, null, "default")
                .orElseThrow()
                .at("/status/phase")
                .asText())
        .isEqualTo("Active");
  }

  @Test
  void createAssignsIdentityAndGetReturnsACopy() {
    ObjectNode created = store.create(DEPLOYMENTS, deployment("default", "web", 1));
    assertThat(created.at("/apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(created.at("/kind").asText()).isEqualTo("Deployment");
    assertThat(created.at("/metadata/uid").asText()).isNotEmpty();
    assertThat(created.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(created.at("/metadata/creationTimestamp").asText())
        .isEqualTo("2026-01-02T03:04:05Z");
    assertThat(created.at("/metadata/resourceVersion").asLong()).isEqualTo(store.resourceVersion());

    ObjectNode got = store.get(DEPLOYMENTS, "default", "web").orElseThrow();
    got.with("spec").put("replicas", 99);
    assertThat(store.get(DEPLOYMENTS, "default", "web").orElseThrow().at("/spec/replicas").asInt())
        .as("callers get copies")
        .isEqualTo(1);
  }

  @Test
  void createRefusesTakenNamesMissingNamespacesWrongKindsAndBadNames() {
    store.create(DEPLOYMENTS, deployment("default", "web", 1));
    assertThatThrownBy(() -> store.create(DEPLOYMENTS, deployment("default", "web", 1)))
        .isInstanceOf(StoreException.AlreadyExists.class)
        .hasMessage("deployments.apps \"web\" already exists");
    assertThatThrownBy(() -> store.create(DEPLOYMENTS, deployment("nowhere", "web", 1)))
        .isInstanceOf(StoreException.NotFound.class)
        .hasMessage("namespaces \"nowhere\" not found");
    ObjectNode wrongKind = deployment("default", "other", 1).put("kind", "StatefulSet");
    assertThatThrownBy(() -> store.create(DEPLOYMENTS, wrongKind))
        .isInstanceOf(StoreException.Invalid.class)
        .hasMessageContaining("Deployment.apps \"other\" is invalid: kind");
    assertThatThrownBy(() -> store.create(DEPLOYMENTS, deployment("default", "Bad_Name", 1)))
        .isInstanceOf(StoreException.Invalid.class)
        .hasMessageContaining("metadata.name: Invalid value: \"Bad_Name\"");
    assertThatThrownBy(
            () -> store.create(CONFIGMAPS, object("{'metadata':{'namespace':'default'}}")))
        .isInstanceOf(StoreException.Invalid.class)
        .hasMessageContaining("name or generateName is required");
    ObjectNode badLabel = deployment("default", "labelled", 1);
    badLabel.with("metadata").with("labels").put("app", "not valid!");
    assertThatThrownBy(() -> store.create(DEPLOYMENTS, badLabel))
        .isInstanceOf(StoreException.Invalid.class)
        .hasMessageContaining("metadata.labels: Invalid value: \"not valid!\"");
  }

  @Test
  void generateNameGivesAFreshName() {
    ObjectNode cm = object("{'metadata':{'generateName':'cfg-','namespace':'default'}}");
    String a = store.create(CONFIGMAPS, cm).at("/metadata/name").asText();
    String b = store.create(CONFIGMAPS, cm).at("/metadata/name").asText();
    assertThat(a).startsWith("cfg-").hasSize(9).isNotEqualTo(b);
  }

  @Test
  void updateChecksTheResourceVersionKeepsStatusAndBumpsGenerationOnlyForSpec() {
    ObjectNode created = store.create(DEPLOYMENTS, deployment("default", "web", 1));
    String rv = created.at("/metadata/resourceVersion").asText();

    ObjectNode labelled = created.deepCopy();
    labelled.with("metadata").with("labels").put("extra", "yes");
    labelled.putObject("status").put("replicas", 7);
    ObjectNode afterLabel = store.update(DEPLOYMENTS, labelled);
    assertThat(afterLabel.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(afterLabel.has("status")).as("update never writes status").isFalse();

    ObjectNode stale = created.deepCopy();
    stale.with("spec").put("replicas", 3);
    assertThatThrownBy(() -> store.update(DEPLOYMENTS, stale))
        .isInstanceOf(StoreException.Conflict.class)
        .hasMessageContaining("Operation cannot be fulfilled on deployments.apps \"web\"")
        .hasMessageContaining(rv.isEmpty() ? "" : "the object has been modified");

    ObjectNode scaled = afterLabel.deepCopy();
    scaled.with("spec").put("replicas", 3);
    ObjectNode afterScale = store.update(DEPLOYMENTS, scaled);
    assertThat(afterScale.at("/metadata/generation").asLong()).isEqualTo(2);

    ObjectNode withStatus = afterScale.deepCopy();
    withStatus.putObject("status").put("replicas", 3);
    ObjectNode afterStatus = store.updateStatus(DEPLOYMENTS, withStatus);
    assertThat(afterStatus.at("/status/replicas").asInt()).isEqualTo(3);
    assertThat(afterStatus.at("/metadata/generation").asLong()).isEqualTo(2);

    ObjectNode noRv = afterStatus.deepCopy();
    noRv.with("metadata").remove("resourceVersion");
    noRv.with("spec").put("replicas", 4);
    assertThat(store.update(DEPLOYMENTS, noRv).at("/status/replicas").asInt())
        .as("an update without resourceVersion is unconditional and keeps status")
        .isEqualTo(3);
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    ObjectNode created = store.create(DEPLOYMENTS, deployment("default", "web", 1));
    long before = store.resourceVersion();
    store.update(DEPLOYMENTS, created);
    assertThat(store.resourceVersion()).isEqualTo(before);
  }

  @Test
  void updateAndDeleteOfAMissingObjectAreNotFound() {
    assertThatThrownBy(() -> store.update(DEPLOYMENTS, deployment("default", "ghost", 1)))
        .isInstanceOf(StoreException.NotFound.class)
        .hasMessage("deployments.apps \"ghost\" not found");
    assertThatThrownBy(() -> store.delete(DEPLOYMENTS, "default", "ghost"))
        .isInstanceOf(StoreException.NotFound.class);
  }

  @Test
  void deleteWithFinalizersMarksTheObjectAndTheLastFinalizerRemovesIt() {
    ObjectNode cm =
        object(
            "{'metadata':{'name':'held','namespace':'default','finalizers':['example.com/keep']}}");
    store.create(CONFIGMAPS, cm);
    ObjectNode marked = store.delete(CONFIGMAPS, "default", "held");
    assertThat(marked.at("/metadata/deletionTimestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(store.get(CONFIGMAPS, "default", "held")).isPresent();

    ObjectNode released = store.get(CONFIGMAPS, "default", "held").orElseThrow();
    released.with("metadata").putArray("finalizers");
    store.update(CONFIGMAPS, released);
    assertThat(store.get(CONFIGMAPS, "default", "held")).isEmpty();
  }

  @Test
  void listIsSortedAndScopedAndUsesSetBasedSelectors() {
    store.create(BuiltinTypes.NAMESPACES, object("{'metadata':{'name':'b'}}"));
    store.create(BuiltinTypes.NAMESPACES, object("{'metadata':{'name':'a'}}"));
    store.create(DEPLOYMENTS, deployment("b", "web", 1));
    store.create(DEPLOYMENTS, deployment("a", "web", 1));
    store.create(DEPLOYMENTS, deployment("a", "db", 1));
    assertThat(store.list(DEPLOYMENTS, null, o -> true))
        .extracting(
            o -> o.at("/metadata/namespace").asText() + "/" + o.at("/metadata/name").asText())
        .containsExactly("a/db", "a/web", "b/web");
    assertThat(store.list(DEPLOYMENTS, "a", LabelSelector.parse("app in (web,cache)")))
        .extracting(o -> o.at("/metadata/name").asText())
        .containsExactly("web");
    assertThat(store.list(DEPLOYMENTS, null, LabelSelector.parse("app notin (web)")))
        .extracting(o -> o.at("/metadata/name").asText())
        .containsExactly("db");
  }

  @Test
  void theLabelIndexFollowsLabelChangesAndDeletes() {
    ObjectNode created = store.create(DEPLOYMENTS, deployment("default", "web", 1));
    created.with("metadata").with("labels").put("app", "renamed");
    store.update(DEPLOYMENTS, created);
    assertThat(store.list(DEPLOYMENTS, null, LabelSelector.parse("app=web"))).isEmpty();
    assertThat(store.list(DEPLOYMENTS, null, LabelSelector.parse("app=renamed"))).hasSize(1);
    store.delete(DEPLOYMENTS, "default", "web");
    assertThat(store.list(DEPLOYMENTS, null, LabelSelector.parse("app=renamed"))).isEmpty();
  }

  @Test
  void watchersSeeEveryWriteInResourceVersionOrderEvenWhenAListenerWrites() throws Exception {
    List<String> seen = new ArrayList<>();
    try (AutoCloseable all =
            store.watch(
                null,
                e ->
                    seen.add(
                        e.type()
                            + " "
                            + e.object().at("/metadata/name").asText()
                            + " "
                            + e.object().at("/metadata/resourceVersion").asText()));
        AutoCloseable reacting =
            store.watch(
                DEPLOYMENTS,
                e -> {
                  if (e.type() == WatchEvent.Type.ADDED) {
                    store.create(
                        CONFIGMAPS,
                        object(
                            "{'metadata':{'name':'for-"
                                + e.object().at("/metadata/name").asText()
                                + "','namespace':'default'}}"));
                  }
                })) {
      long start = store.resourceVersion();
      store.create(DEPLOYMENTS, deployment("default", "web", 1));
      store.delete(DEPLOYMENTS, "default", "web");
      assertThat(seen)
          .containsExactly(
              "ADDED web " + (start + 1),
              "ADDED for-web " + (start + 2),
              "DELETED web " + (start + 3));
    }
  }

  @Test
  void aWatchResumesFromARecentResourceVersionAndRefusesAnExpiredOne() throws Exception {
    long start = store.resourceVersion();
    store.create(DEPLOYMENTS, deployment("default", "a", 1));
    store.create(DEPLOYMENTS, deployment("default", "b", 1));
    List<String> replayed = new ArrayList<>();
    try (AutoCloseable w =
        store.watch(
            DEPLOYMENTS, start + 1, e -> replayed.add(e.object().at("/metadata/name").asText()))) {
      store.create(DEPLOYMENTS, deployment("default", "c", 1));
      assertThat(replayed).containsExactly("b", "c");
    }
    for (int i = 0; i < 6; i++) {
      store.create(CONFIGMAPS, object("{'metadata':{'name':'c" + i + "','namespace':'default'}}"));
    }
    assertThatThrownBy(() -> store.watch(DEPLOYMENTS, start, e -> {}))
        .isInstanceOf(StoreException.Expired.class)
        .hasMessageContaining("too old resource version: " + start);
  }

  @Test
  void aCrdServesItsTypeUntilDeleted() {
    ObjectNode crd =
        object(
            "{'metadata':{'name':'widgets.example.com'},'spec':{'group':'example.com','scope':'Namespaced',"
                + "'names':{'plural':'widgets','singular':'widget','kind':'Widget','shortNames':['wd']},"
                + "'versions':[{'name':'v1','served':true,'storage':true,'subresources':{'status':{}}}]}}");
    ObjectNode created = store.create(BuiltinTypes.CRDS, crd);
    assertThat(created.at("/status/conditions"))
        .extracting(c -> c.path("type").asText() + "=" + c.path("status").asText())
        .containsExactlyInAnyOrder("NamesAccepted=True", "Established=True");
    ResourceType widgets = store.type("example.com", "wd").orElseThrow();
    assertThat(widgets.kind()).isEqualTo("Widget");
    assertThat(widgets.subresources()).containsExactly("status");
    store.create(
        widgets, object("{'metadata':{'name':'w1','namespace':'default'},'spec':{'size':1}}"));
    assertThat(store.list(widgets, null, o -> true)).hasSize(1);

    store.delete(BuiltinTypes.CRDS, null, "widgets.example.com");
    assertThat(store.type("example.com", "widgets")).isEmpty();
    assertThatThrownBy(
            () -> store.create(widgets, object("{'metadata':{'name':'w2','namespace':'default'}}")))
        .isInstanceOf(StoreException.NotFound.class);
  }

  @Test
  void aCrdWhoseNameIsNotPluralDotGroupIsInvalid() {
    ObjectNode crd =
        object(
            "{'metadata':{'name':'wrong'},'spec':{'group':'example.com','names':{'plural':'widgets','kind':'Widget'},"
                + "'versions':[{'name':'v1','served':true,'storage':true}]}}");
    assertThatThrownBy(() -> store.create(BuiltinTypes.CRDS, crd))
        .isInstanceOf(StoreException.Invalid.class)
        .hasMessageContaining("must be spec.names.plural+\".\"+spec.group");
  }

  @Test
  void typesAreFoundByPluralKindOrShortName() {
    assertThat(store.type("apps", "deploy")).contains(DEPLOYMENTS);
    assertThat(store.type("apps", "Deployment")).contains(DEPLOYMENTS);
    assertThat(store.type("", "cm")).contains(CONFIGMAPS);
    assertThat(store.type(null, "pods")).contains(BuiltinTypes.PODS);
    assertThat(store.type("apps", "pods")).isEmpty();
  }
}
