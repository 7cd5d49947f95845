package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.reconcile.QuietMockServer;
import dev.flotilla.proto.agent.v1.Assignment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Assignments kept in a ConfigMap, against fabric8's mock API server in CRUD mode. */
class AssignmentStoreMockTest {

  private static final String NAMESPACE = "flotilla-agent";
  private static final String NAME = ConfigMapAssignmentBackend.nameFor("prod-eu");

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeAll
  static void quiet() {
    QuietMockServer.quiet();
  }

  @BeforeEach
  void startApiServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  @AfterEach
  void stopApiServer() {
    client.close();
    server.destroy();
  }

  private AssignmentStore open(KubernetesClient c) {
    return new AssignmentStore(new ConfigMapAssignmentBackend(c, NAMESPACE, NAME));
  }

  private static Assignment a(String name, long generation, String spec) {
    return Assignment.newBuilder()
        .setName(name)
        .setProject("default")
        .setGeneration(generation)
        .setRevision("0123456789abcdef0123456789abcdef01234567")
        .setSpecJson(spec)
        .build();
  }

  @Test
  void aRestartedAgentReadsBackWhatItStored() {
    AssignmentStore store = open(client);
    assertThat(store.all()).as("nothing stored yet").isEmpty();
    store.upsert(a("web", 3, "{\"source\":{\"repoURL\":\"https://git.example.com/a\"}}"));
    store.upsert(a("db", 5, "{}"));
    store.upsert(a("web", 4, "{\"source\":{\"path\":\"web\"}}"));
    assertThat(store.persistenceError()).isEmpty();

    // A new process: a new client, the same API server.
    try (KubernetesClient restarted = server.createClient()) {
      AssignmentStore reopened = open(restarted);
      assertThat(reopened.all()).containsExactlyElementsOf(store.all());
      assertThat(reopened.get("web").orElseThrow().getGeneration()).isEqualTo(4);
      assertThat(reopened.checksum()).isEqualTo(store.checksum()).isNotEmpty();
      assertThat(reopened.highestGeneration()).isEqualTo(5);
      assertThat(reopened.describe()).isEqualTo("ConfigMap flotilla-agent/" + NAME);
    }
    ConfigMap cm = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
    assertThat(cm.getData()).as("no plain copy").isNullOrEmpty();
    assertThat(cm.getBinaryData()).containsOnlyKeys("assignments.json.gz");
    assertThat(cm.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "flotilla-agent");
  }

  @Test
  void aStateOfFourAndAHalfMegabytesIsCompressedIntoOneConfigMap() {
    AssignmentStore store = open(client);
    List<Assignment> generated = new java.util.ArrayList<>();
    for (int i = 0; i < 45; i++) {
      StringBuilder values = new StringBuilder();
      for (int j = 0; values.length() < 100_000; j++) {
        values
            .append("replica-")
            .append(i)
            .append('-')
            .append(j * 7919 % 100_003)
            .append(": on\\n");
      }
      generated.add(
          a("app-" + i, i + 1, "{\"source\":{\"helm\":{\"values\":\"" + values + "\"}}}"));
    }
    store.replaceAll(generated);

    assertThat(store.persistenceError()).isEmpty();
    assertThat(open(client).all()).containsExactlyInAnyOrderElementsOf(generated);
  }

  @Test
  void aConfigMapWrittenByAnOlderAgentIsReadAndThenReplacedByTheCompressedForm() {
    AssignmentStore before = open(client);
    before.upsert(a("web", 3, "{}"));
    String plain =
        "{\"assignments\":[{\"name\":\"legacy\",\"project\":\"default\",\"generation\":\"2\"}]}";
    client
        .configMaps()
        .inNamespace(NAMESPACE)
        .withName(NAME)
        .edit(
            cm ->
                new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm)
                    .withBinaryData(null)
                    .withData(java.util.Map.of("assignments.json", plain))
                    .build());

    AssignmentStore store = open(client);
    assertThat(store.all()).extracting(Assignment::getName).containsExactly("legacy");
    store.upsert(a("web", 4, "{}"));

    ConfigMap cm = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
    assertThat(cm.getData()).as("the plain copy is gone").isNullOrEmpty();
    assertThat(open(client).all()).extracting(Assignment::getName).containsExactly("legacy", "web");
  }

  @Test
  void snapshotsAndDeletesArePersistedToo() {
    AssignmentStore store = open(client);
    store.upsert(a("web", 1, "{}"));
    store.upsert(a("old", 2, "{}"));
    List<Assignment> gone = store.replaceAll(List.of(a("web", 7, "{}"), a("new", 8, "{}")));
    assertThat(gone).extracting(Assignment::getName).containsExactly("old");
    assertThat(store.remove("new")).isPresent();

    AssignmentStore reopened = open(client);
    assertThat(reopened.all()).extracting(Assignment::getName).containsExactly("web");
    assertThat(reopened.get("web").orElseThrow().getGeneration()).isEqualTo(7);
  }

  @Test
  void stateLargerThanAConfigMapIsAClearErrorAndKeepsWhatWasStored() {
    AssignmentStore store = open(client);
    store.upsert(a("small", 1, "{}"));
    // Random text: gzip cannot bring it under the limit.
    byte[] noise = new byte[ConfigMapAssignmentBackend.MAX_BYTES];
    new java.util.Random(7).nextBytes(noise);
    String huge = "{\"x\":\"" + java.util.Base64.getEncoder().encodeToString(noise) + "\"}";

    assertThat(store.upsert(a("huge", 2, huge))).as("held in memory all the same").isTrue();

    assertThat(store.persistenceError())
        .get()
        .asString()
        .contains("compressed, more than a ConfigMap can hold")
        .contains("ConfigMap flotilla-agent/" + NAME)
        .contains("--state-store file");
    assertThat(store.get("huge")).as("the agent keeps reconciling it").isPresent();
    assertThat(open(client).all())
        .as("the ConfigMap still holds the last state that fitted")
        .extracting(Assignment::getName)
        .containsExactly("small");

    store.remove("huge");
    assertThat(store.persistenceError()).as("cleared once a write succeeds").isEmpty();
    assertThat(open(client).all()).extracting(Assignment::getName).containsExactly("small");
  }
}
