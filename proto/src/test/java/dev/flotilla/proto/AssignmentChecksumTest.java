package dev.flotilla.proto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.DestinationNamespace;
import dev.flotilla.proto.agent.v1.DestinationNamespaces;
import dev.flotilla.proto.agent.v1.ResourceRule;
import dev.flotilla.proto.agent.v1.ResourceRuleList;
import dev.flotilla.proto.agent.v1.ResourceRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssignmentChecksumTest {

  static Assignment app(ResourceRules rules) {
    Assignment.Builder b = Assignment.newBuilder().setName("a").setGeneration(7).setSpecJson("{}");
    return rules == null ? b.build() : b.setResourceRules(rules).build();
  }

  static ResourceRules.Builder rules() {
    return ResourceRules.newBuilder()
        .setProject("team-a")
        .addClusterAllow(ResourceRule.newBuilder().setGroup("").setKind("Namespace"));
  }

  @Test
  void withoutRulesTheChecksumIsWhatItWasBefore() throws Exception {
    // The format agents persisted before rules existed: name, NUL, generation, newline.
    byte[] before =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest("a\u00007\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(AssignmentChecksum.of(List.of(app(null))))
        .isEqualTo(java.util.HexFormat.of().formatHex(before));
  }

  @Test
  void everyRuleChangeChangesTheChecksumAndEqualRulesDoNot() {
    String base = AssignmentChecksum.of(List.of(app(rules().build())));
    assertThat(AssignmentChecksum.of(List.of(app(rules().build())))).isEqualTo(base);
    assertThat(AssignmentChecksum.of(List.of(app(null)))).isNotEqualTo(base);
    List<ResourceRules> changed =
        List.of(
            rules().setProject("team-b").build(),
            rules()
                .addClusterDeny(ResourceRule.newBuilder().setGroup("").setKind("Namespace"))
                .build(),
            rules().setNamespaceAllow(ResourceRuleList.getDefaultInstance()).build(),
            rules()
                .addNamespaceDeny(ResourceRule.newBuilder().setGroup("apps").setKind("Deployment"))
                .build(),
            rules()
                .clearClusterAllow()
                .addClusterAllow(
                    ResourceRule.newBuilder().setGroup("").setKind("Namespace").setName("x"))
                .build());
    for (ResourceRules r : changed) {
      assertThat(AssignmentChecksum.of(List.of(app(r)))).as(r.toString()).isNotEqualTo(base);
    }
  }

  @Test
  void destinationNamespacesChangeTheChecksumOnlyWhenTheyChange() {
    String withoutDestinations = AssignmentChecksum.of(List.of(app(rules().build())));
    ResourceRules base = rules().setDestinations(destinations(ns("team-a-*", true, false))).build();
    String checksum = AssignmentChecksum.of(List.of(app(base)));
    assertThat(checksum).isNotEqualTo(withoutDestinations);
    assertThat(AssignmentChecksum.of(List.of(app(base.toBuilder().build())))).isEqualTo(checksum);
    List<ResourceRules> changed =
        List.of(
            rules().setDestinations(DestinationNamespaces.getDefaultInstance()).build(),
            rules().setDestinations(destinations(ns("team-a-**", true, false))).build(),
            rules().setDestinations(destinations(ns("team-a-*", false, false))).build(),
            rules().setDestinations(destinations(ns("team-a-*", true, true))).build(),
            rules()
                .setDestinations(destinations(ns("team-a-*", true, false), ns("!x", false, false)))
                .build());
    for (ResourceRules r : changed) {
      assertThat(AssignmentChecksum.of(List.of(app(r)))).as(r.toString()).isNotEqualTo(checksum);
    }
    // An empty set list is not the same as none (which means "not checked").
    assertThat(AssignmentChecksum.of(List.of(app(changed.get(0)))))
        .isNotEqualTo(withoutDestinations);
  }

  private static DestinationNamespace ns(String pattern, boolean matched, boolean excludes) {
    return DestinationNamespace.newBuilder()
        .setNamespace(pattern)
        .setClusterMatched(matched)
        .setExcludesCluster(excludes)
        .build();
  }

  private static DestinationNamespaces destinations(DestinationNamespace... entries) {
    return DestinationNamespaces.newBuilder().addAllEntries(List.of(entries)).build();
  }

  @Test
  void fieldBoundariesCannotBeShiftedToCollide() {
    ResourceRules a =
        ResourceRules.newBuilder()
            .setProject("p")
            .addClusterAllow(ResourceRule.newBuilder().setGroup("ab").setKind("c"))
            .build();
    ResourceRules b =
        ResourceRules.newBuilder()
            .setProject("p")
            .addClusterAllow(ResourceRule.newBuilder().setGroup("a").setKind("bc"))
            .build();
    assertThat(AssignmentChecksum.canonical(a)).isNotEqualTo(AssignmentChecksum.canonical(b));
  }

  @Test
  void aSyncWindowBlockChangesTheChecksumAndItsAbsenceDoesNot() {
    Assignment open = app(null);
    Assignment blocked =
        open.toBuilder().setAutoSyncBlocked(true).setAutoSyncBlockedReason("x").build();
    Assignment otherReason = blocked.toBuilder().setAutoSyncBlockedReason("y").build();
    String base = AssignmentChecksum.of(List.of(open));
    assertThat(AssignmentChecksum.of(List.of(blocked))).isNotEqualTo(base);
    assertThat(AssignmentChecksum.of(List.of(otherReason)))
        .isNotEqualTo(AssignmentChecksum.of(List.of(blocked)));
    assertThat(
            AssignmentChecksum.of(
                List.of(open.toBuilder().setAutoSyncBlockedReason("stale").build())))
        .isEqualTo(base);
  }
}
