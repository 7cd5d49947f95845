package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceTreeModelTest {

  /** A node as the resource-tree API reports it; {@code owners} are uids. */
  private static JsonObject node(String kind, String name, boolean managed, String... owners) {
    return new JsonObject()
        .put("group", kind.equals("Deployment") || kind.equals("ReplicaSet") ? "apps" : "")
        .put("kind", kind)
        .put("namespace", "web")
        .put("name", name)
        .put("uid", "uid-" + name)
        .put("parentUids", new JsonArray(List.of(owners)))
        .put("health", "Healthy")
        .put("managed", managed)
        .put("sync", "Synced");
  }

  /**
   * The tree as one line per object, indented by depth: "Kind[n]" for a group of n, "name" for an
   * object ("+" when it starts open with children, "-" closed, "!" an orphan).
   */
  private static List<String> outline(ResourceTreeModel tree) {
    List<String> out = new ArrayList<>();
    for (ResourceTreeModel.Group g : tree.groups()) {
      out.add(g.kind() + "[" + g.nodes().size() + "]" + (g.open() ? "" : " closed"));
      g.nodes().forEach(n -> outline(n, "  ", out));
    }
    return out;
  }

  private static void outline(ResourceTreeNode n, String indent, List<String> out) {
    String mark = n.children().isEmpty() ? "" : n.open() ? "+" : "-";
    out.add(indent + mark + n.name() + (n.orphan() ? "!" : ""));
    n.children().forEach(c -> outline(c, indent + "  ", out));
  }

  record Case(String name, List<JsonObject> nodes, List<String> outline) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("nothing reported", List.of(), List.of()),
        new Case(
            "a Deployment owns its ReplicaSet which owns its Pods; kinds in name order",
            List.of(
                node("Pod", "web-1-b", false, "uid-web-1"),
                node("Service", "front", true),
                node("Pod", "web-1-a", false, "uid-web-1"),
                node("ReplicaSet", "web-1", false, "uid-web"),
                node("Deployment", "web", true),
                node("EndpointSlice", "front-x", false, "uid-front"),
                node("Pod", "stray", false, "uid-gone")),
            List.of(
                "Deployment[1]",
                "  +web",
                "    +web-1",
                "      web-1-a",
                "      web-1-b",
                "Pod[1]",
                "  stray!",
                "Service[1]",
                "  +front",
                "    front-x")),
        new Case(
            "a Job's Pods under the Job; an object from Git stays at the top even when owned",
            List.of(
                node("Job", "migrate", true),
                node("Pod", "migrate-abc", false, "uid-migrate"),
                node("ConfigMap", "settings", true, "uid-migrate")),
            List.of("ConfigMap[1]", "  settings", "Job[1]", "  +migrate", "    migrate-abc")),
        new Case(
            "a child with two owners appears once, under the first that is in the tree",
            List.of(
                node("Deployment", "a", true),
                node("Deployment", "b", true),
                node("Pod", "p", false, "uid-missing", "uid-b", "uid-a")),
            List.of("Deployment[2]", "  a", "  +b", "    p")),
        new Case(
            "owners in a loop still show, the first of them as an orphan",
            List.of(node("Pod", "x", false, "uid-y"), node("Pod", "y", false, "uid-x")),
            List.of("Pod[1]", "  +x!", "    y")),
        new Case(
            "an object owned by itself is an orphan, not lost",
            List.of(node("Pod", "self", false, "uid-self")),
            List.of("Pod[1]", "  self!")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void groupsByKindAndHangsChildrenFromTheirOwners(Case c) {
    ResourceTreeModel tree = ResourceTreeModel.of(new JsonArray(c.nodes()), 0, null);
    assertThat(outline(tree)).containsExactlyElementsOf(c.outline());
    assertThat(tree.total()).isEqualTo(c.nodes().size());
  }

  @Test
  void bigGroupsAndBigFamiliesStartClosedSmallOnesOpen() {
    List<JsonObject> nodes = new ArrayList<>();
    nodes.add(node("Deployment", "big", true));
    nodes.add(node("ReplicaSet", "big-1", false, "uid-big"));
    for (int i = 0; i < 51; i++) {
      nodes.add(node("Pod", "big-1-" + i, false, "uid-big-1"));
    }
    for (int i = 0; i < 50; i++) {
      nodes.add(node("ConfigMap", "cm-" + i, true));
    }
    for (int i = 0; i < 51; i++) {
      nodes.add(node("Secret", "s-" + i, true));
    }
    List<String> outline = outline(ResourceTreeModel.of(new JsonArray(nodes), 0, null));
    assertThat(outline)
        .contains("ConfigMap[50]", "Secret[51] closed", "Deployment[1]", "  +big", "    -big-1");
  }

  @Test
  void withoutAReportedTreeTheStatusObjectsAreShownWithTheirSync() {
    JsonArray resources =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("kind", "ConfigMap")
                    .put("namespace", "web")
                    .put("name", "c")
                    .put("sync", "OutOfSync")
                    .put("health", "Healthy"));
    ResourceTreeModel tree = ResourceTreeModel.of(new JsonArray(), 0, resources);
    assertThat(tree.reported()).isFalse();
    assertThat(outline(tree)).containsExactly("ConfigMap[1]", "  c");
    assertThat(tree.groups().get(0).nodes().get(0).sync()).isEqualTo("OutOfSync");
  }

  @Test
  void aChildHasNoSyncStatusAndTheCapIsCounted() {
    ResourceTreeModel tree =
        ResourceTreeModel.of(
            new JsonArray(
                List.of(node("Deployment", "web", true), node("Pod", "p", false, "uid-web"))),
            7,
            null);
    ResourceTreeNode web = tree.groups().get(0).nodes().get(0);
    assertThat(web.sync()).isEqualTo("Synced");
    assertThat(web.children().get(0).sync()).isEmpty();
    assertThat(tree.omitted()).isEqualTo(7);
  }

  @Test
  void buildsTenThousandObjectsInOnePass() {
    // Not a timing: a quadratic build would still finish, so count the objects placed instead,
    // and keep the size where a quadratic one would be visibly slow in CI.
    List<JsonObject> nodes = new ArrayList<>();
    for (int d = 0; d < 100; d++) {
      nodes.add(node("Deployment", "d" + d, true));
      nodes.add(node("ReplicaSet", "d" + d + "-rs", false, "uid-d" + d));
      for (int p = 0; p < 98; p++) {
        nodes.add(node("Pod", "d" + d + "-rs-" + p, false, "uid-d" + d + "-rs"));
      }
    }
    ResourceTreeModel tree = ResourceTreeModel.of(new JsonArray(nodes), 0, null);
    assertThat(tree.groups().stream().map(ResourceTreeModel.Group::kind).toList())
        .containsExactly("Deployment");
    assertThat(outline(tree)).hasSize(10_001);
    assertThat(outline(tree).stream().filter(l -> l.startsWith("    -")).count())
        .as("every ReplicaSet of 98 Pods starts closed")
        .isEqualTo(100);
  }

  @Test
  void kindIconsAreKubectlShortNamesElseTheCapitals() {
    assertThat(
            Stream.of("Deployment", "Pod", "EndpointSlice", "NetworkPolicy", "Foo", "lower")
                .map(ResourceTreeNode::icon)
                .collect(Collectors.toList()))
        .containsExactly("deploy", "pod", "eps", "np", "f", "lowe");
  }

  @Test
  void theSlideOutAddressEncodesEveryPart() {
    ResourceTreeNode n =
        ResourceTreeNode.of("apps", "Deployment", "a b", "x&y", "Healthy", "", "", true, false);
    assertThat(n.href("my app", "diff"))
        .isEqualTo(
            "/applications/my%20app/resource?group=apps&kind=Deployment&namespace=a%20b"
                + "&name=x%26y&tab=diff");
  }
}
