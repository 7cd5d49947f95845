package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla policy get|set}: the global RBAC policy, Argo CD's CSV lines. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = {
      "The global RBAC policy (Argo CD's CSV lines), replaced as one document.",
      "  p, <subject>, <resource>, <action>, <object>, allow|deny",
      "  g, <user-or-team>, <role>",
      "Resources: applications, applicationsets, projects, clusters, repositories, accounts, logs.",
      "",
      "Example (edit and put back):",
      "  flotilla policy get > policy.csv && vi policy.csv && flotilla policy set -f policy.csv",
    },
    subcommands = {PolicyCommand.GetPolicy.class, PolicyCommand.SetPolicy.class})
final class PolicyCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = {
        "Print the policy text as stored (comments kept) on stdout, ready to edit and set again;"
            + " the default role and the last change go to stderr.",
        "",
        "Examples:",
        "  flotilla policy get > policy.csv",
        "  flotilla policy get -o json",
      })
  static final class GetPolicy extends ApiCommand {

    enum Format {
      text,
      json
    }

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        description =
            "text (default: the CSV lines) or json (policy, defaultRole, updatedAt, updatedBy).")
    Format format = Format.text;

    @Override
    void run(ApiClient client) throws CliException {
      JsonObject policy = client.get("/api/v1/policy");
      if (format == Format.json) {
        System.out.println(policy.encodePrettily());
        return;
      }
      String text = policy.getString("policy", "");
      System.out.print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
      System.out.flush();
      String defaultRole = policy.getString("defaultRole", "");
      System.err.println(
          "# default role: "
              + (defaultRole.isEmpty() ? "none" : defaultRole)
              + "; updated "
              + AccountOutput.time(policy.getString("updatedAt"))
              + " by "
              + policy.getString("updatedBy"));
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Replace the whole policy with a file's lines ('-' reads stdin). The server checks every"
            + " line first and keeps the old policy if one is wrong.",
        "Refuses a policy that drops lines granting you (by your name or a team of yours) what you"
            + " hold now, so you cannot lock yourself out by accident; --force does it anyway.",
        "",
        "Examples:",
        "  flotilla policy set -f policy.csv",
        "  flotilla policy set -f policy.csv --default-role role:readonly",
        "  echo 'g, admin, role:admin' | flotilla policy set -f -",
      })
  static final class SetPolicy extends ApiCommand {

    @Option(
        names = {"-f", "--filename"},
        required = true,
        paramLabel = "FILE",
        description = "The policy file, or '-' for stdin.")
    String file;

    @Option(
        names = "--default-role",
        paramLabel = "ROLE",
        description =
            "Role every authenticated user holds, e.g. role:readonly; '' for none. Unchanged when"
                + " not given.")
    String defaultRole;

    @Option(
        names = "--force",
        description = "Replace the policy even if it drops lines that grant you permissions.")
    boolean force;

    @Override
    void run(ApiClient client) throws CliException {
      String text = read(file);
      if (!force) {
        refuseLockout(client, text);
      }
      JsonObject body = new JsonObject().put("policy", text);
      if (defaultRole != null) {
        body.put("defaultRole", defaultRole);
      }
      JsonObject r = client.put("/api/v1/policy", body.encode());
      String role = r.getString("defaultRole", "");
      System.out.println("policy updated (default role: " + (role.isEmpty() ? "none" : role) + ")");
    }

    private static void refuseLockout(ApiClient client, String next) throws CliException {
      JsonObject session = client.get("/api/v1/session");
      Set<String> me = new HashSet<>(WhoamiCommand.strings(session.getJsonArray("teams")));
      me.add(session.getString("name"));
      String current = client.get("/api/v1/policy").getString("policy", "");
      List<String> dropped = droppedGrants(current, next, me);
      if (!dropped.isEmpty()) {
        throw new CliException(
            "the new policy drops "
                + dropped.stream().map(l -> "'" + l + "'").collect(Collectors.joining(", "))
                + ", which grant "
                + session.getString("name")
                + " (you) permissions now: you could lock yourself out. Keep "
                + (dropped.size() == 1 ? "it" : "them")
                + ", or pass --force");
      }
    }
  }

  /**
   * Lines of {@code current} that grant one of {@code names} something (a {@code g} line binding
   * it, or a {@code p} line allowing it) and are missing from {@code next}. Lines compare with
   * their fields trimmed, as the server parses them.
   */
  static List<String> droppedGrants(String current, String next, Set<String> names) {
    Set<String> kept = new HashSet<>(normalized(next));
    List<String> dropped = new ArrayList<>();
    for (String line : normalized(current)) {
      List<String> fields = Arrays.asList(line.split(", ", -1));
      boolean grants =
          fields.size() > 1
              && names.contains(fields.get(1))
              && (fields.get(0).equals("g")
                  || (fields.get(0).equals("p") && fields.get(fields.size() - 1).equals("allow")));
      if (grants && !kept.contains(line)) {
        dropped.add(line);
      }
    }
    return dropped;
  }

  private static List<String> normalized(String policy) {
    List<String> lines = new ArrayList<>();
    for (String raw : policy.split("\n")) {
      String line = raw.strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        lines.add(
            Arrays.stream(line.split(",", -1))
                .map(String::strip)
                .collect(Collectors.joining(", ")));
      }
    }
    return lines;
  }

  /** The file's text, or stdin's for '-', refusing what is too large to be a policy. */
  static String read(String file) throws CliException {
    if (!file.equals("-")) {
      return AppSetCommand.readBounded(Path.of(file));
    }
    try {
      InputStream in = System.in;
      byte[] bytes = in.readNBytes((int) AppSetCommand.MAX_INPUT_BYTES + 1);
      if (bytes.length > AppSetCommand.MAX_INPUT_BYTES) {
        throw new CliException("stdin: larger than " + AppSetCommand.MAX_INPUT_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("stdin: cannot read: " + e.getMessage());
    }
  }
}
