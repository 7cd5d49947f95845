package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;

/**
 * A whole agent given an Application whose repository holds a crafted tree (a symlink out of the
 * checkout and a directory of the same name, beside the app's own directory): the Application
 * reports the refusal, never Synced, and nothing lands where the link points.
 */
class HostileRepositoryMockTest extends AgentMockTestBase {

  @Test
  void anApplicationFromACraftedTreeReportsTheRefusalAndWritesNothingOutside() throws Exception {
    Path canary = Files.createDirectories(tmp.resolve("canary"));
    String url = craftedRepository(tmp.resolve("evil.git"), canary);
    rig.snapshotOnHello(
        Assignment.newBuilder()
            .setName("evil")
            .setProject("default")
            .setGeneration(1)
            .setSpecJson(
                "{\"source\":{\"repoURL\":\""
                    + url
                    + "\",\"path\":\"web\",\"targetRevision\":\"main\"},"
                    + "\"destination\":{\"namespace\":\"demo\"},"
                    + "\"syncPolicy\":{\"automated\":{\"selfHeal\":true}}}")
            .build());

    try (ClusterAgent agent = new ClusterAgent(rig.config(tmp.resolve("state")), rig.client())) {
      agent.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(statuses())
                      .anySatisfy(
                          s -> {
                            assertThat(s.getApplication()).isEqualTo("evil");
                            assertThat(s.getSyncFailed()).isTrue();
                            assertThat(s.getMessage())
                                .contains("cannot be checked out")
                                .contains("'esc' appears twice in its directory");
                          }));
    }
    assertThat(statuses())
        .filteredOn(s -> s.getApplication().equals("evil"))
        .extracting(ApplicationStatus::getSyncStatus)
        .doesNotContain(SyncStatus.SYNC_STATUS_SYNCED);
    try (Stream<Path> s = Files.list(canary)) {
      assertThat(s).as("nothing written through the link").isEmpty();
    }
  }

  private Stream<ApplicationStatus> statuses() {
    return rig.received().stream()
        .filter(AgentMessage::hasStatuses)
        .flatMap(m -> m.getStatuses().getStatusesList().stream());
  }

  /**
   * A bare repository whose main branch has a plain app in "web", and "esc" both as a link to
   * {@code outside} and as a directory holding a file.
   */
  private static String craftedRepository(Path dir, Path outside) throws Exception {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        ObjectInserter inserter = repo.newObjectInserter()) {
      repo.create(true);
      ObjectId manifest =
          inserter.insert(
              Constants.OBJ_BLOB,
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: evil\n"
                  .getBytes(StandardCharsets.UTF_8));
      TreeFormatter web = new TreeFormatter();
      web.append("cm.yaml", FileMode.REGULAR_FILE, manifest);
      ObjectId link =
          inserter.insert(Constants.OBJ_BLOB, outside.toString().getBytes(StandardCharsets.UTF_8));
      TreeFormatter esc = new TreeFormatter();
      esc.append("x.yaml", FileMode.REGULAR_FILE, manifest);
      TreeFormatter root = new TreeFormatter();
      root.append("esc", FileMode.SYMLINK, link);
      root.append("esc", FileMode.TREE, inserter.insert(esc));
      root.append("web", FileMode.TREE, inserter.insert(web));
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(inserter.insert(root));
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("crafted");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate main = repo.updateRef("refs/heads/main");
      main.setNewObjectId(id);
      main.update();
      repo.updateRef(Constants.HEAD).link("refs/heads/main");
    }
    return dir.toUri().toString();
  }
}
