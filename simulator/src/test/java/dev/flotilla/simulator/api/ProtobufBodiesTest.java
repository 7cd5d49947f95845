package dev.flotilla.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProtobufBodiesTest {

  /** A length-delimited field. */
  static byte[] field(int number, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(number << 3 | 2);
    out.write(value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] field(int number, String value) {
    return field(number, value.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] envelope(String kind, byte[] raw) {
    byte[] typeMeta = concat(field(1, "v1"), field(2, kind));
    return concat(new byte[] {0x6b, 0x38, 0x73, 0x00}, field(1, typeMeta), field(2, raw));
  }

  @Test
  void readsANamespacesMetadata() {
    byte[] meta = concat(field(1, "shop"), field(11, concat(field(1, "team"), field(2, "blue"))));
    ObjectNode ns = ProtobufBodies.decode(envelope("Namespace", field(1, meta)));
    assertThat(ns.at("/kind").asText()).isEqualTo("Namespace");
    assertThat(ns.at("/metadata/name").asText()).isEqualTo("shop");
    assertThat(ns.at("/metadata/labels/team").asText()).isEqualTo("blue");
  }

  @Test
  void readsASecretsBytesAsBase64() {
    byte[] raw =
        concat(
            field(1, field(1, "creds")),
            field(2, concat(field(1, "password"), field(2, "hunter2"))),
            field(3, "Opaque"));
    ObjectNode secret = ProtobufBodies.decode(envelope("Secret", raw));
    assertThat(secret.at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
    assertThat(secret.at("/type").asText()).isEqualTo("Opaque");
  }

  @Test
  void refusesOtherKindsTruncatedBodiesAndMissingEnvelopes() {
    assertThatThrownBy(() -> ProtobufBodies.decode(envelope("Pod", field(1, field(1, "p")))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(415);
              assertThat(e.getMessage()).contains("not for Pod");
            });
    byte[] whole = envelope("Namespace", field(1, field(1, "shop")));
    assertThatThrownBy(() -> ProtobufBodies.decode(Arrays.copyOf(whole, whole.length - 3)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThatThrownBy(() -> ProtobufBodies.decode("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getMessage()).contains("envelope"));
  }
}
