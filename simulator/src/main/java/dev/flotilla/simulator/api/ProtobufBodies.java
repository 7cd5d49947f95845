package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * kubectl's typed commands ({@code kubectl create namespace|configmap|secret}) send protobuf
 * bodies. Without the generated Kubernetes protobuf types, this reads only what such a body needs
 * for those three kinds: the envelope ({@code k8s\0} + Unknown{typeMeta, raw}), the ObjectMeta's
 * name, generateName, namespace, labels and annotations, and a ConfigMap's or Secret's data (a
 * Namespace's spec and status carry nothing a create needs). Any other kind is refused with 415
 * naming it. Hand-written: it is a few varints, and protobuf-java would not know the Kubernetes
 * messages either.
 */
final class ProtobufBodies {

  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
  private static final List<String> SIMULATED_KINDS = List.of("Namespace", "ConfigMap", "Secret");

  private ProtobufBodies() {}

  static ObjectNode decode(byte[] body) {
    if (body.length < 4
        || body[0] != MAGIC[0]
        || body[1] != MAGIC[1]
        || body[2] != MAGIC[2]
        || body[3] != MAGIC[3]) {
      throw ApiException.badRequest(
          "the protobuf body does not start with the Kubernetes envelope");
    }
    Reader unknown = new Reader(body, 4, body.length);
    String apiVersion = "";
    String kind = "";
    Reader raw = null;
    while (unknown.more()) {
      int tag = unknown.varint32();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) {
        Reader typeMeta = unknown.message();
        while (typeMeta.more()) {
          int t = typeMeta.varint32();
          if ((t >>> 3) == 1 && (t & 7) == 2) {
            apiVersion = typeMeta.string();
          } else if ((t >>> 3) == 2 && (t & 7) == 2) {
            kind = typeMeta.string();
          } else {
            typeMeta.skip(t);
          }
        }
      } else if (field == 2 && (tag & 7) == 2) {
        raw = unknown.message();
      } else {
        unknown.skip(tag);
      }
    }
    if (!SIMULATED_KINDS.contains(kind) || raw == null) {
      throw ApiException.unsupportedMediaType(
          "protobuf request bodies are simulated only for "
              + SIMULATED_KINDS
              + ", not for "
              + (kind.isEmpty() ? "this object" : kind)
              + "; send application/json (kubectl apply -f does)");
    }
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    ObjectNode meta = object.putObject("metadata");
    while (raw.more()) {
      int tag = raw.varint32();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) {
        readMeta(raw.message(), meta);
      } else if (kind.equals("ConfigMap") && (tag & 7) == 2 && (field == 2 || field == 3)) {
        // data (string values) and binaryData (bytes, base64 in JSON)
        entry(raw.message(), object.with(field == 2 ? "data" : "binaryData"), field == 3);
      } else if (kind.equals("Secret") && (tag & 7) == 2 && (field == 2 || field == 4)) {
        // data (bytes, base64 in JSON) and stringData
        entry(raw.message(), object.with(field == 2 ? "data" : "stringData"), field == 2);
      } else if (kind.equals("Secret") && (tag & 7) == 2 && field == 3) {
        object.put("type", raw.string());
      } else if ((kind.equals("Secret") && field == 5 || kind.equals("ConfigMap") && field == 4)
          && (tag & 7) == 0) {
        object.put("immutable", raw.varint() != 0);
      } else {
        raw.skip(tag);
      }
    }
    return object;
  }

  private static void readMeta(Reader r, ObjectNode meta) {
    while (r.more()) {
      int tag = r.varint32();
      int field = tag >>> 3;
      if ((tag & 7) != 2) {
        r.skip(tag);
        continue;
      }
      switch (field) {
        case 1 -> meta.put("name", r.string());
        case 2 -> meta.put("generateName", r.string());
        case 3 -> meta.put("namespace", r.string());
        case 11 -> entry(r.message(), meta.with("labels"), false);
        case 12 -> entry(r.message(), meta.with("annotations"), false);
        default -> r.skip(tag);
      }
    }
  }

  /** One map entry {1: key, 2: value}; bytes values become base64, as in JSON. */
  private static void entry(Reader r, ObjectNode map, boolean bytes) {
    String key = "";
    String value = "";
    while (r.more()) {
      int tag = r.varint32();
      if ((tag >>> 3) == 1 && (tag & 7) == 2) {
        key = r.string();
      } else if ((tag >>> 3) == 2 && (tag & 7) == 2) {
        value = bytes ? Base64.getEncoder().encodeToString(r.bytes()) : r.string();
      } else {
        r.skip(tag);
      }
    }
    map.put(key, value);
  }

  /** A bounded cursor over protobuf wire format. */
  private static final class Reader {
    private final byte[] bytes;
    private int pos;
    private final int end;

    Reader(byte[] bytes, int pos, int end) {
      this.bytes = bytes;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw truncated();
        }
        byte b = bytes[pos++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw ApiException.badRequest("the protobuf body has a malformed varint");
    }

    int varint32() {
      return (int) varint();
    }

    Reader message() {
      long length = varint();
      if (length < 0 || length > end - pos) {
        throw truncated();
      }
      Reader sub = new Reader(bytes, pos, pos + (int) length);
      pos += (int) length;
      return sub;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    byte[] bytes() {
      Reader s = message();
      return Arrays.copyOfRange(bytes, s.pos, s.end);
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> message();
        case 5 -> advance(4);
        default -> throw ApiException.badRequest("the protobuf body has an unknown wire type");
      }
    }

    private void advance(int n) {
      if (n > end - pos) {
        throw truncated();
      }
      pos += n;
    }

    private static ApiException truncated() {
      return ApiException.badRequest("the protobuf body is truncated");
    }
  }
}
