package dev.flotilla.git;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.yaml.BoundedYaml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Git credentials, chosen per repository URL. The agent and the control plane each read their own
 * from their configuration (a file mounted from a Secret, or the environment); an agent also holds,
 * in memory, what the control plane sent for its own repositories (a live source, below).
 *
 * <p>The file ({@code flotilla agent|server --git-credentials FILE}) is YAML; the entry with the
 * longest {@code urlPrefix} that the repository URL starts with wins:
 *
 * <pre>
 * credentials:
 *   - urlPrefix: https://git.example.com/platform/
 *     username: flotilla
 *     password: s3cret                  # or passwordFile: /etc/flotilla/git/token
 *   - urlPrefix: ssh://git@git.example.com/
 *     sshPrivateKeyFile: /etc/flotilla/git/id_ed25519   # unencrypted OpenSSH or PEM key
 *     sshKnownHostsFile: /etc/flotilla/git/known_hosts  # default: ~/.ssh/known_hosts
 * </pre>
 *
 * Relative file paths are resolved against the credentials file's directory. SSH server keys must
 * be listed in the known-hosts file: unknown hosts are refused, never trusted on first use. URLs no
 * entry matches use the fallback user name and password (env {@code FLOTILLA_GIT_USERNAME} and
 * {@code FLOTILLA_GIT_PASSWORD}), if any.
 *
 * <p>Credentials may also come from a live source ({@link #withLive}: the control plane's stored
 * {@code repo add} entries, or what an agent received over its stream), consulted on every fetch so
 * that added or removed entries take effect without a restart. Precedence: an entry of the file
 * that matches wins (an operator's local file is the last word), then a live entry for exactly that
 * repository, then the live template with the longest prefix, then the fallback user.
 */
public final class GitCredentials {

  private static final BoundedYaml YAML = new BoundedYaml(1 << 20);
  private static final Set<String> FIELDS =
      Set.of(
          "urlPrefix",
          "username",
          "password",
          "passwordFile",
          "sshPrivateKeyFile",
          "sshKnownHostsFile");

  /** One entry of the file. Exactly one of password or sshPrivateKeyFile is set. */
  record Entry(String urlPrefix, String username, String password, Path sshKey, Path knownHosts) {

    boolean ssh() {
      return sshKey != null;
    }

    @Override
    public String toString() {
      // Never the password: entries end up in logs and error messages.
      return (ssh() ? "SSH key " + sshKey : "user '" + username + "'")
          + " for URLs starting with "
          + urlPrefix;
    }
  }

  private final List<Entry> entries;
  private final CredentialsProvider fallback;
  private final String source;
  private static final Supplier<List<GitCredential>> NO_LIVE = List::of;

  private final Supplier<List<GitCredential>> live;
  private final Map<Entry, SshdSessionFactory> sshFactories = new ConcurrentHashMap<>();
  private final Map<GitCredential, SshdSessionFactory> liveSshFactories = new ConcurrentHashMap<>();

  private GitCredentials(List<Entry> entries, CredentialsProvider fallback, String source) {
    this(entries, fallback, source, NO_LIVE);
  }

  private GitCredentials(
      List<Entry> entries,
      CredentialsProvider fallback,
      String source,
      Supplier<List<GitCredential>> live) {
    this.entries =
        entries.stream()
            .sorted(Comparator.comparingInt((Entry e) -> e.urlPrefix().length()).reversed())
            .toList();
    this.fallback = fallback;
    this.source = source;
    this.live = live;
  }

  /**
   * These credentials, plus those {@code live} gives at the time of each fetch (see the class
   * comment for which wins).
   */
  public GitCredentials withLive(Supplier<List<GitCredential>> live) {
    return new GitCredentials(entries, fallback, source, live);
  }

  /** No credentials: anonymous access only. */
  public static GitCredentials none() {
    return new GitCredentials(List.of(), null, null);
  }

  /** The user name and password (either may be null: then none) for every URL. */
  public static GitCredentials of(String username, String password) {
    return new GitCredentials(List.of(), basic(username, password), null);
  }

  /**
   * Reads {@code file} (see the class comment); URLs it does not cover go anonymously.
   *
   * @throws IllegalArgumentException naming the file and entry when it is not valid
   */
  public static GitCredentials load(Path file) throws IOException {
    return load(file, null);
  }

  /**
   * Reads {@code file} (see the class comment); URLs it does not cover use {@code username} and
   * {@code password} (either may be null: then anonymous).
   *
   * @throws IllegalArgumentException naming the file and entry when it is not valid
   */
  public static GitCredentials load(Path file, String username, String password)
      throws IOException {
    return load(file, basic(username, password));
  }

  private static CredentialsProvider basic(String username, String password) {
    return username == null || password == null
        ? null
        : new UsernamePasswordCredentialsProvider(username, password);
  }

  /** Reads {@code file}; URLs it does not cover use {@code fallback} (may be null). */
  static GitCredentials load(Path file, CredentialsProvider fallback) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException("Git credentials file " + file + " does not exist or is not readable");
    }
    JsonNode root = YAML.readFile(file);
    JsonNode list = root == null ? null : root.get("credentials");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(
          "Git credentials file " + file + ": expected a top-level list 'credentials:'");
    }
    Path dir = file.toAbsolutePath().getParent();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      entries.add(entry(file, dir, i, list.get(i)));
    }
    return new GitCredentials(entries, fallback, file.toString());
  }

  private static Entry entry(Path file, Path dir, int index, JsonNode node) throws IOException {
    String where = "Git credentials file " + file + ", entry " + (index + 1);
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            where + ": unknown field '" + name + "' (known: " + String.join(", ", sorted()) + ")");
      }
    }
    String prefix = text(node, "urlPrefix");
    if (prefix == null) {
      throw new IllegalArgumentException(where + ": urlPrefix is required");
    }
    where += " (" + prefix + ")";
    String username = text(node, "username");
    String password = text(node, "password");
    String passwordFile = text(node, "passwordFile");
    String keyFile = text(node, "sshPrivateKeyFile");
    String knownHostsFile = text(node, "sshKnownHostsFile");
    if (keyFile != null) {
      if (password != null || passwordFile != null) {
        throw new IllegalArgumentException(
            where + ": give either sshPrivateKeyFile or a password, not both");
      }
      Path key = dir.resolve(keyFile);
      if (!Files.isReadable(key)) {
        throw new IllegalArgumentException(
            where + ": SSH private key " + key + " does not exist or is not readable");
      }
      checkPrivateKey(where, key);
      Path knownHosts = knownHostsFile == null ? null : dir.resolve(knownHostsFile);
      if (knownHosts != null && !Files.isReadable(knownHosts)) {
        throw new IllegalArgumentException(
            where + ": known-hosts file " + knownHosts + " does not exist or is not readable");
      }
      return new Entry(prefix, username, null, key, knownHosts);
    }
    if (knownHostsFile != null) {
      throw new IllegalArgumentException(where + ": sshKnownHostsFile needs sshPrivateKeyFile");
    }
    if (password != null && passwordFile != null) {
      throw new IllegalArgumentException(where + ": give password or passwordFile, not both");
    }
    if (passwordFile != null) {
      Path p = dir.resolve(passwordFile);
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException(
            where + ": passwordFile " + p + " does not exist or is not readable");
      }
      password = Files.readString(p).strip();
    }
    if (username == null || password == null) {
      throw new IllegalArgumentException(
          where + ": needs username and password (or passwordFile), or sshPrivateKeyFile");
    }
    return new Entry(prefix, username, password, null, null);
  }

  /**
   * Reads the key once at start-up, so that a wrong file or an encrypted key is an error naming the
   * file now rather than a vague authentication failure at the first fetch.
   */
  private static void checkPrivateKey(String where, Path key) {
    String problem;
    Throwable cause = null;
    try (InputStream in = Files.newInputStream(key)) {
      Iterable<KeyPair> pairs =
          SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.toString()), in, null);
      if (pairs != null && pairs.iterator().hasNext()) {
        return;
      }
      problem = "no private key found";
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      problem = e.getMessage();
      cause = e;
    }
    throw new IllegalArgumentException(
        where
            + ": cannot read SSH private key "
            + key
            + " ("
            + problem
            + "); it must be an unencrypted OpenSSH or PEM private key",
        cause);
  }

  private static List<String> sorted() {
    return FIELDS.stream().sorted().toList();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    String s = v.asText();
    return s.isEmpty() ? null : s;
  }

  /** Sets the credentials (and SSH key) for {@code url} on a clone or fetch. */
  void configure(TransportCommand<?, ?> command, String url) {
    Entry entry = match(url);
    GitCredential stored = entry == null ? matchLive(url) : null;
    if (stored != null) {
      configureLive(command, stored);
    } else if (entry == null) {
      command.setCredentialsProvider(fallback);
    } else if (entry.ssh()) {
      SshdSessionFactory factory = sshFactories.computeIfAbsent(entry, GitCredentials::sshFactory);
      command.setCredentialsProvider(null);
      command.setTransportConfigCallback(
          transport -> {
            if (transport instanceof SshTransport ssh) {
              ssh.setSshSessionFactory(factory);
            }
          });
    } else {
      command.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(entry.username(), entry.password()));
    }
  }

  private void configureLive(TransportCommand<?, ?> command, GitCredential stored) {
    if (stored.ssh()) {
      if (liveSshFactories.size() > 1024) {
        // Entries replaced or removed leave their factories behind; start afresh now and then.
        liveSshFactories.clear();
      }
      SshdSessionFactory factory =
          liveSshFactories.computeIfAbsent(stored, MemoryKeySessionFactory::new);
      command.setCredentialsProvider(null);
      command.setTransportConfigCallback(
          transport -> {
            if (transport instanceof SshTransport ssh) {
              ssh.setSshSessionFactory(factory);
            }
          });
    } else if (stored.username() != null && stored.password() != null) {
      command.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(stored.username(), stored.password()));
    } else {
      command.setCredentialsProvider(null);
    }
  }

  private boolean hasLive() {
    return live != NO_LIVE;
  }

  /** The live entry for {@code url}: its own, else the template with the longest prefix. */
  GitCredential matchLive(String url) {
    GitCredential best = null;
    for (GitCredential c : live.get()) {
      if (!c.covers(url)) {
        continue;
      }
      if (!c.template()) {
        return c;
      }
      if (best == null || c.url().length() > best.url().length()) {
        best = c;
      }
    }
    return best;
  }

  /** Says, for an error message, which credentials were used for {@code url} (never a secret). */
  public String describe(String url) {
    Entry entry = match(url);
    if (entry != null) {
      return entry + " from " + source;
    }
    GitCredential stored = matchLive(url);
    if (stored != null) {
      return stored.toString();
    }
    if (fallback != null) {
      return "the user from FLOTILLA_GIT_USERNAME/FLOTILLA_GIT_PASSWORD";
    }
    String add = hasLive() ? "add them with 'flotilla repo add URL', " : "";
    return "no credentials"
        + (source == null
            ? " ("
                + add
                + "pass --git-credentials FILE or set FLOTILLA_GIT_USERNAME/FLOTILLA_GIT_PASSWORD)"
            : " (no entry of "
                + source
                + " matches this URL"
                + (add.isEmpty() ? "" : "; ")
                + add.replace(", ", "")
                + ")");
  }

  Entry match(String url) {
    for (Entry e : entries) {
      if (url.startsWith(e.urlPrefix())) {
        return e;
      }
    }
    return null;
  }

  private static SshdSessionFactory sshFactory(Entry entry) {
    Path home = entry.sshKey().toAbsolutePath().getParent();
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(home.toFile())
        .setSshDirectory(home.toFile())
        // Only this key, this known-hosts file, and no ~/.ssh/config of whoever runs the agent.
        .setConfigStoreFactory((homeDir, configFile, localUser) -> null)
        .setDefaultIdentities(dir -> List.of(entry.sshKey()))
        .setDefaultKnownHostsFiles(
            dir ->
                entry.knownHosts() != null
                    ? List.of(entry.knownHosts())
                    : List.of(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts")))
        .setPreferredAuthentications("publickey")
        .build(new JGitKeyCache());
  }
}
