package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.agent.v1.ObjectDiff;
import dev.flotilla.proto.agent.v1.ObjectRef;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SyncPreviewTest {

  record Case(String name, ObjectDiff diff, boolean prune, String change) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ObjectDiff diff(String desired, String live, boolean modified) {
    return ObjectDiff.newBuilder()
        .setRef(ObjectRef.newBuilder().setKind("ConfigMap").setNamespace("ns").setName("cm"))
        .setDesiredYaml(desired)
        .setLiveYaml(live)
        .setModified(modified)
        .setUnifiedDiff(modified ? "-a\n+b\n" : "")
        .build();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("in Git, not live: created", diff("d", "", true), false, "create"),
        new Case("differs: updated", diff("d", "l", true), false, "update"),
        new Case("same: unchanged", diff("d", "l", false), false, "unchanged"),
        new Case("gone from Git, prune: deleted", diff("", "l", true), true, "delete"),
        new Case("gone from Git, no prune: kept", diff("", "l", true), false, "keep"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachObjectsChange(Case c) {
    SyncPreview p = SyncPreview.of(List.of(c.diff()), c.prune());
    assertThat(p.rows()).singleElement().extracting(PreviewRow::change).isEqualTo(c.change());
    assertThat(p.count(c.change())).isEqualTo(1);
    assertThat(p.rows().get(0).diff()).isEqualTo(c.change().equals("update") ? "-a\n+b\n" : "");
    assertThat(p.changes())
        .isEqualTo(!c.change().equals("unchanged") && !c.change().equals("keep"));
  }

  @ParameterizedTest(name = "prune={0}")
  @MethodSource("prunes")
  void listedInTheOrderASyncActs(boolean prune) {
    ObjectDiff gone = diff("", "l", true);
    ObjectDiff fresh = diff("d", "", true);
    ObjectDiff same = diff("d", "l", false);
    SyncPreview p = SyncPreview.of(List.of(same, gone, fresh), prune);
    assertThat(p.rows())
        .extracting(PreviewRow::change)
        .containsExactly("create", prune ? "delete" : "keep", "unchanged");
  }

  static Stream<Boolean> prunes() {
    return Stream.of(true, false);
  }
}
