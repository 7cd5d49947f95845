package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.GoValues.string;
import static dev.flotilla.generators.gotemplate.GoValues.strval;

import dev.flotilla.core.digest.Digests;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.generators.template.Values;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Sprig's encoding, hashing and JSON functions. */
final class EncodingFunctions {

  private EncodingFunctions() {}

  static void register(FunctionTable t) {
    t.fixed(
        "b64enc",
        1,
        a -> Base64.getEncoder().encodeToString(strval(a.get(0)).getBytes(StandardCharsets.UTF_8)));
    t.fixed(
        "b64dec",
        1,
        a -> {
          try {
            return new String(Base64.getDecoder().decode(strval(a.get(0))), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            return e.getMessage();
          }
        });
    t.fixed("b32enc", 1, a -> base32(strval(a.get(0)).getBytes(StandardCharsets.UTF_8)));
    t.fixed("sha1sum", 1, a -> Digests.hex("SHA-1", strval(a.get(0))));
    t.fixed("sha256sum", 1, a -> Digests.hex("SHA-256", strval(a.get(0))));
    t.fixed("sha512sum", 1, a -> Digests.hex("SHA-512", strval(a.get(0))));
    t.fixed(
        "adler32sum",
        1,
        a -> {
          java.util.zip.Adler32 adler = new java.util.zip.Adler32();
          adler.update(strval(a.get(0)).getBytes(StandardCharsets.UTF_8));
          return String.valueOf(adler.getValue());
        });
    t.fixed("toJson", 1, a -> GoJson.write(a.get(0), false));
    t.fixed("mustToJson", 1, a -> GoJson.write(a.get(0), false));
    t.fixed("toPrettyJson", 1, a -> GoJson.write(a.get(0), true));
    t.fixed("mustToPrettyJson", 1, a -> GoJson.write(a.get(0), true));
    // toRawJson is toJson without HTML escaping.
    t.fixed(
        "toRawJson",
        1,
        a ->
            GoJson.write(a.get(0), false)
                .replace("\\u003c", "<")
                .replace("\\u003e", ">")
                .replace("\\u0026", "&"));
    t.fixed(
        "fromJson",
        1,
        a -> {
          try {
            return Values.fromJson(GoValues.FROM_YAML.readJson(string(a, 0)));
          } catch (YamlException e) {
            throw new GoTemplateException("cannot parse JSON: " + e.getMessage());
          }
        });
  }

  /** RFC 4648 base32 with padding, as Go's StdEncoding writes it. */
  static String base32(byte[] data) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    while (out.length() % 8 != 0) {
      out.append('=');
    }
    return out.toString();
  }
}
