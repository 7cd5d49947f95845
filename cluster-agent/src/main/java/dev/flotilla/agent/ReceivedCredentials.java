package dev.flotilla.agent;

import dev.flotilla.git.GitCredential;
import dev.flotilla.proto.agent.v1.RepositoryCredential;
import dev.flotilla.proto.agent.v1.RepositoryCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Git credentials the control plane sent for this agent's own repositories (its stored {@code
 * repo add} entries): held in memory only — never in the assignment store, ConfigMap or state file,
 * never logged ({@link GitCredential#toString} shows no secret) — and consulted at each fetch after
 * any entry of the agent's own {@code --git-credentials} file, which wins. Each message replaces
 * the whole set, so what is no longer needed is gone.
 *
 * <p>The known_hosts lines that come with SSH entries are public host keys: they are written to a
 * file (JGit checks host keys against files), the keys themselves never are.
 */
final class ReceivedCredentials {

  private static final Logger LOG = LoggerFactory.getLogger(ReceivedCredentials.class);

  private final Path knownHostsFile;
  private volatile List<GitCredential> current = List.of();
  private String knownHostsWritten = "";

  /**
   * @param knownHostsFile where the control plane's known_hosts lines are kept for SSH entries
   */
  ReceivedCredentials(Path knownHostsFile) {
    this.knownHostsFile = knownHostsFile;
  }

  /** The entries as last received; for the Git layer. */
  List<GitCredential> current() {
    return current;
  }

  /** The repository URLs credentials are held for, any password in a URL masked. */
  Set<String> urls() {
    Set<String> urls = new TreeSet<>();
    current.forEach(c -> urls.add(c.maskedUrl()));
    return urls;
  }

  /**
   * Replaces what is held with {@code message}.
   *
   * @return whether anything changed (then Applications that failed to fetch should try again)
   */
  synchronized boolean replace(RepositoryCredentials message) {
    Path hosts = knownHosts(message.getKnownHosts());
    List<GitCredential> next = new ArrayList<>();
    for (RepositoryCredential c : message.getEntriesList()) {
      next.add(
          new GitCredential(
              c.getUrl(),
              false,
              emptyToNull(c.getUsername()),
              emptyToNull(c.getPassword()),
              emptyToNull(c.getSshPrivateKey()),
              c.getInsecureIgnoreHostKey(),
              hosts));
    }
    List<GitCredential> before = current;
    current = List.copyOf(next);
    boolean changed = !before.equals(current);
    if (changed) {
      LOG.info(
          "the control plane sent credentials for {} repositories: {}",
          current.size(),
          String.join(", ", urls()));
    }
    return changed;
  }

  /**
   * The file holding {@code text} (written when it changed), or null for none: SSH entries then
   * check the agent's own ~/.ssh/known_hosts.
   */
  private Path knownHosts(String text) {
    if (text.isEmpty()) {
      return null;
    }
    if (!text.equals(knownHostsWritten)) {
      try {
        Files.createDirectories(knownHostsFile.getParent());
        Path tmp = Files.createTempFile(knownHostsFile.getParent(), "known_hosts", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(
            tmp,
            knownHostsFile,
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        knownHostsWritten = text;
      } catch (IOException e) {
        LOG.warn(
            "cannot write the control plane's known hosts to {}: {}; SSH host keys are checked"
                + " against what was written before",
            knownHostsFile,
            e.getMessage());
      }
    }
    return knownHostsFile;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
