package dev.flotilla.proto;

import dev.flotilla.proto.agent.v1.Assignment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * The checksum both ends compute over a set of assignments, so a reconnecting agent that already
 * holds everything is sent nothing. Names and generations identify an assignment completely because
 * every change bumps its generation.
 */
public final class AssignmentChecksum {

  private AssignmentChecksum() {}

  public static String of(Collection<Assignment> assignments) {
    if (assignments.isEmpty()) {
      return "";
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      assignments.stream()
          .sorted(Comparator.comparing(Assignment::getName))
          .forEach(
              a ->
                  digest.update(
                      (a.getName() + "\u0000" + a.getGeneration() + "\n")
                          .getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
