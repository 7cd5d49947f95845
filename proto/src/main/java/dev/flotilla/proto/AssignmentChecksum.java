package dev.flotilla.proto;

import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.DestinationNamespace;
import dev.flotilla.proto.agent.v1.ResourceRule;
import dev.flotilla.proto.agent.v1.ResourceRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The checksum both ends compute over a set of assignments, so a reconnecting agent that already
 * holds everything is sent nothing. Names and generations identify an assignment because every
 * change bumps its generation; the project's resource rules (kinds and destination namespaces) are
 * covered as well, because they come from another table (the AppProject) than the rest of the
 * assignment, and an agent that holds outdated rules must be sent the new ones even if a generation
 * bump was missed. Whether a sync window blocks automated sync is covered too: it changes without a
 * generation bump.
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
                      (a.getName()
                              + "\u0000"
                              + a.getGeneration()
                              + (a.hasResourceRules()
                                  ? "\u0000" + canonical(a.getResourceRules())
                                  : "")
                              + (a.getAutoSyncBlocked()
                                  ? "\u0000blocked\u0000" + a.getAutoSyncBlockedReason()
                                  : "")
                              + "\n")
                          .getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /**
   * A stable text form of the rules (protobuf's wire form is not guaranteed to be canonical).
   * Lengths prefix every string so no choice of names can make two different rule sets collide.
   */
  static String canonical(ResourceRules rules) {
    StringBuilder out = new StringBuilder();
    field(out, rules.getProject());
    list(out, "ca", rules.getClusterAllowList());
    list(out, "cd", rules.getClusterDenyList());
    if (rules.hasNamespaceAllow()) {
      list(out, "na", rules.getNamespaceAllow().getRulesList());
    }
    list(out, "nd", rules.getNamespaceDenyList());
    // Only when set, so rules from before destinations existed keep their checksum.
    if (rules.hasDestinations()) {
      out.append("dn").append(rules.getDestinations().getEntriesCount()).append(':');
      for (DestinationNamespace d : rules.getDestinations().getEntriesList()) {
        field(out, d.getNamespace());
        out.append(d.getClusterMatched() ? 'm' : '-').append(d.getExcludesCluster() ? 'x' : '-');
      }
    }
    return out.toString();
  }

  private static void list(StringBuilder out, String tag, List<ResourceRule> rules) {
    out.append(tag).append(rules.size()).append(':');
    for (ResourceRule r : rules) {
      field(out, r.getGroup());
      field(out, r.getKind());
      field(out, r.getName());
    }
  }

  private static void field(StringBuilder out, String value) {
    out.append(value.length()).append(':').append(value);
  }
}
