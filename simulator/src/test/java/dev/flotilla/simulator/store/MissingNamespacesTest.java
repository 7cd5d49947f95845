package dev.flotilla.simulator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MissingNamespacesTest {

  private static ObjectNode configMap(String namespace) throws Exception {
    return (ObjectNode)
        new ObjectMapper()
            .readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
                    + "\"namespace\":\""
                    + namespace
                    + "\"}}");
  }

  @Test
  void aWriteIntoAMissingNamespaceIsRefusedAsARealServerDoes() throws Exception {
    MemoryObjectStore store = new MemoryObjectStore();
    ResourceType configMaps = BuiltinTypes.of("", "configmaps");
    assertThatThrownBy(() -> store.create(configMaps, configMap("nowhere")))
        .isInstanceOf(StoreException.NotFound.class)
        .hasMessageContaining("nowhere");
    assertThat(store.get(BuiltinTypes.NAMESPACES, null, "nowhere")).isEmpty();
  }

  @Test
  void onRequestAMissingNamespaceIsCreatedFirst() throws Exception {
    MemoryObjectStore store = new MemoryObjectStore();
    store.createMissingNamespaces(true);
    ResourceType configMaps = BuiltinTypes.of("", "configmaps");
    store.create(configMaps, configMap("made"));
    assertThat(store.get(BuiltinTypes.NAMESPACES, null, "made")).isPresent();
    assertThat(store.get(configMaps, "made", "c")).isPresent();
  }
}
