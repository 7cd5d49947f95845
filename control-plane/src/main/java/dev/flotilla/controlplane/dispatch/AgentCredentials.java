package dev.flotilla.controlplane.dispatch;

import dev.flotilla.core.model.ApplicationSpec;
import dev.flotilla.core.model.Source;
import dev.flotilla.git.GitCredential;
import dev.flotilla.proto.agent.v1.RepositoryCredential;
import dev.flotilla.proto.agent.v1.RepositoryCredentials;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which stored credentials an agent receives: only those of the Git repositories its assigned
 * Applications read, each resolved to the concrete repository URL (a repository's own entry, else
 * the template with the longest matching prefix, as the control plane's own Git layer chooses), so
 * that an agent never learns a template that would open repositories it has no business reading.
 * Pure: the session calls it with what it is about to assign.
 */
final class AgentCredentials {

  private AgentCredentials() {}

  /**
   * The Git repositories of these specs: every source without a {@code chart} (chart sources name a
   * Helm repository or OCI registry, fetched with the agent's own chart credentials).
   */
  static Set<String> repositories(Collection<ApplicationSpec> specs) {
    Set<String> urls = new TreeSet<>();
    for (ApplicationSpec spec : specs) {
      for (Source s : spec.allSources()) {
        if (s.chart() == null && s.repoURL() != null && !s.repoURL().isBlank()) {
          urls.add(s.repoURL());
        }
      }
    }
    return urls;
  }

  /**
   * For each of {@code repositories} the entry that covers it, as a concrete one; sorted by URL.
   */
  static List<GitCredential> select(Set<String> repositories, List<GitCredential> stored) {
    List<GitCredential> chosen = new ArrayList<>();
    for (String url : new TreeSet<>(repositories)) {
      GitCredential best = null;
      for (GitCredential c : stored) {
        if (!c.template() && c.url().equals(url)) {
          best = c;
          break;
        }
        if (c.template()
            && url.startsWith(c.url())
            && (best == null || c.url().length() > best.url().length())) {
          best = c;
        }
      }
      if (best != null) {
        chosen.add(
            new GitCredential(
                url,
                false,
                best.username(),
                best.password(),
                best.sshPrivateKey(),
                best.insecureIgnoreHostKey(),
                best.knownHosts()));
      }
    }
    return chosen;
  }

  /** Whether any of {@code chosen} checks SSH host keys (then the agent needs known_hosts). */
  static boolean checksHostKeys(List<GitCredential> chosen) {
    return chosen.stream().anyMatch(c -> c.sshPrivateKey() != null && !c.insecureIgnoreHostKey());
  }

  /** The message replacing what the agent holds. */
  static RepositoryCredentials message(List<GitCredential> chosen, String knownHosts) {
    RepositoryCredentials.Builder b = RepositoryCredentials.newBuilder();
    for (GitCredential c : chosen) {
      b.addEntries(
          RepositoryCredential.newBuilder()
              .setUrl(c.url())
              .setUsername(orEmpty(c.username()))
              .setPassword(orEmpty(c.password()))
              .setSshPrivateKey(orEmpty(c.sshPrivateKey()))
              .setInsecureIgnoreHostKey(c.insecureIgnoreHostKey()));
    }
    if (checksHostKeys(chosen) && knownHosts != null) {
      b.setKnownHosts(knownHosts);
    }
    return b.build();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
