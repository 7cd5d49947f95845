package dev.flotilla.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Assignments in a ConfigMap of the agent's own cluster, so that an agent without a persistent
 * volume still keeps what it was assigned across pod restarts.
 *
 * <p>The document is gzipped into {@code binaryData}: Kubernetes caps a ConfigMap at 1 MiB, and
 * generated Applications (repetitive JSON) shrink several times, so a 4.5 MB assignment set fits.
 * One object keeps every write atomic; splitting over several ConfigMaps would not, so a state that
 * is still too large after compression is refused with an error pointing to the file store.
 * ConfigMaps written by older agents (plain JSON in {@code data}) are read as before.
 */
public final class ConfigMapAssignmentBackend implements AssignmentBackend {

  /** Kubernetes refuses ConfigMaps whose data exceeds 1 MiB. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** Where agents before compression kept the plain document; still read. */
  static final String KEY = "assignments.json";

  static final String GZIP_KEY = "assignments.json.gz";

  /** Bound on the document read back, so a corrupted or crafted ConfigMap cannot exhaust memory. */
  static final int MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String key;
  private final String gzipKey;

  public ConfigMapAssignmentBackend(KubernetesClient client, String namespace, String name) {
    this(client, namespace, name, KEY);
  }

  /** A document under {@code key} of ConfigMap {@code name} (e.g. the agent's drift journal). */
  public ConfigMapAssignmentBackend(
      KubernetesClient client, String namespace, String name, String key) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.key = key;
    this.gzipKey = key + ".gz";
  }

  /** The ConfigMap name used for {@code cluster}: {@code flotilla-agent-state-<cluster>}. */
  public static String nameFor(String cluster) {
    return "flotilla-agent-state-" + cluster;
  }

  @Override
  public Optional<String> load() {
    try {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
      if (cm == null) {
        return Optional.empty();
      }
      if (cm.getBinaryData() != null && cm.getBinaryData().containsKey(gzipKey)) {
        return Optional.of(gunzip(cm.getBinaryData().get(gzipKey)));
      }
      if (cm.getData() == null || !cm.getData().containsKey(key)) {
        return Optional.empty();
      }
      return Optional.of(cm.getData().get(key));
    } catch (KubernetesClientException e) {
      throw new StatePersistenceException(
          "cannot read agent state " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(String document) {
    byte[] plain = document.getBytes(StandardCharsets.UTF_8);
    byte[] compressed = gzip(plain);
    int size = compressed.length + gzipKey.length();
    if (size > MAX_BYTES) {
      throw new StatePersistenceException(
          "agent state is "
              + plain.length
              + " bytes, "
              + size
              + " compressed, more than a ConfigMap can hold ("
              + MAX_BYTES
              + " bytes); "
              + describe()
              + " was left as it was. Run the agent with --state-store file (and a persistent"
              + " --state-dir) for this many or this large Applications");
    }
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .addToLabels("app.kubernetes.io/managed-by", "flotilla-agent")
            .endMetadata()
            .withBinaryData(Map.of(gzipKey, Base64.getEncoder().encodeToString(compressed)))
            .build();
    try {
      var resource = client.configMaps().inNamespace(namespace).withName(name);
      ConfigMap live = resource.get();
      if (live == null) {
        client.configMaps().inNamespace(namespace).resource(desired).create();
      } else {
        // Replaces an older agent's plain data key too: one copy of the state, the new one.
        resource.edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .withData(null)
                    .withBinaryData(desired.getBinaryData())
                    .build());
      }
    } catch (KubernetesClientException e) {
      String hint =
          e.getCode() == 404
              ? " (does namespace '" + namespace + "' exist? see --state-namespace)"
              : e.getCode() == 403
                  ? " (the agent's service account needs get, create and patch on ConfigMaps"
                      + " there)"
                  : "";
      throw new StatePersistenceException(
          "cannot write agent state " + describe() + ": " + e.getMessage() + hint, e);
    }
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // In memory: cannot happen.
    }
    return out.toByteArray();
  }

  private String gunzip(String base64) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(decode(base64)))) {
      byte[] plain = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
      if (plain.length > MAX_DOCUMENT_BYTES) {
        throw new StatePersistenceException(
            "agent state " + describe() + " expands to more than " + MAX_DOCUMENT_BYTES + " bytes");
      }
      return new String(plain, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StatePersistenceException(
          "agent state " + describe() + " is not valid gzip: " + e.getMessage(), e);
    }
  }

  private byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new StatePersistenceException(
          "agent state " + describe() + " is not valid base64: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "ConfigMap " + namespace + "/" + name;
  }
}
