package dev.flotilla.controlplane.appset.plan;

import dev.flotilla.proto.AgentLimits;
import java.util.Optional;

/**
 * The bound on one generated Application, checked before it is stored or dispatched: a template can
 * expand a small ApplicationSet into a multi-megabyte Application (300 KB became 4.5 MB), and one
 * too large for an agent's stream used to wedge that agent. The limit ({@link
 * AgentLimits#MAX_APPLICATION_BYTES}) is explained there; an Application over it is an error of its
 * ApplicationSet that leaves the other Applications, and what this one was before, unchanged.
 */
final class ApplicationSizeLimit {

  private ApplicationSizeLimit() {}

  /**
   * Why an Application whose serialised document is {@code json} may not be stored, or empty when
   * it may.
   */
  static Optional<String> violation(String json) {
    return violation(json, AgentLimits.MAX_APPLICATION_BYTES);
  }

  static Optional<String> violation(String json, int limit) {
    // UTF-8 length without encoding a copy of a possibly huge document.
    long bytes = utf8Length(json);
    if (bytes <= limit) {
      return Optional.empty();
    }
    return Optional.of(
        "the generated Application is "
            + bytes
            + " bytes of JSON, more than the limit of "
            + limit
            + " bytes ("
            + limit / (1024 * 1024)
            + " MiB); it was not stored or sent to its cluster and any earlier version is kept"
            + " — make the template produce less (e.g. move large values into Git)");
  }

  static long utf8Length(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
