package dev.flotilla.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla app wait NAME...}: blocks until every named Application meets the conditions, as
 * {@code argocd app wait} does. It reads each Application once, then follows the control plane's
 * stream of their changes ({@code /api/v1/stream/applications}) instead of polling; a stream the
 * server ends is opened again (it starts with the current state, so nothing is missed).
 */
@Command(
    name = "wait",
    mixinStandardHelpOptions = true,
    description = {
      "Wait until Applications are synced and healthy (and no sync operation runs), as `argocd app"
          + " wait` does; the flags narrow what is waited for.",
      "Progress goes to stderr; at the end the Applications are printed (-o for the format). On"
          + " timeout the exit code is 1 and stderr names, for each Application, what is not met"
          + " yet."
    })
final class ApplicationWaitCommand extends ApiCommand {

  private static final Duration FOREVER = Duration.ofDays(36500);

  /** Marks "no deadline"; compared by value, never used in arithmetic. */
  private static final long FOREVER_DEADLINE = Long.MIN_VALUE;

  /** Pause before the stream is opened again after the server ended it. */
  private static final Duration REOPEN_AFTER = Duration.ofSeconds(1);

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Applications to wait for.")
  List<String> names;

  @Option(names = "--sync", description = "Wait until Synced (for the current spec).")
  boolean sync;

  @Option(names = "--health", description = "Wait until Healthy.")
  boolean health;

  @Option(names = "--operation", description = "Wait until no sync operation runs.")
  boolean operation;

  @Option(names = "--suspended", description = "Wait until Suspended (or Healthy with --health).")
  boolean suspended;

  @Option(names = "--degraded", description = "Wait until Degraded (or Healthy with --health).")
  boolean degraded;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "Give up after this many seconds; 0 waits for ever (as argocd). Default: 0.")
  long timeoutSeconds;

  @Mixin OutputOption.WithWide output;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  void run(ApiClient client) throws CliException {
    if (timeoutSeconds < 0) {
      throw new ParameterException(
          spec.commandLine(), "--timeout must be 0 (no limit) or a number of seconds");
    }
    WaitConditions conditions = WaitConditions.of(sync, health, operation, suspended, degraded);
    // Seconds beyond a century are for ever too (and would overflow nanoseconds).
    long deadline =
        timeoutSeconds == 0 || timeoutSeconds > FOREVER.toSeconds()
            ? FOREVER_DEADLINE
            : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    Map<String, JsonObject> latest = new LinkedHashMap<>();
    Map<String, List<String>> shown = new LinkedHashMap<>();
    QueryString query = new QueryString();
    for (String name : new LinkedHashSet<>(names)) {
      // Fails here, naming it, when the Application is missing (or hidden from the caller).
      latest.put(name, client.get(ApiClient.path("applications", name)));
      query.add("name", name);
      progress(conditions, name, latest.get(name), shown);
    }
    String stream = "/api/v1/stream/applications" + query;
    while (!allMet(conditions, latest)) {
      try (LineStream lines = client.stream(stream)) {
        follow(lines, conditions, latest, shown, deadline);
      }
      if (!allMet(conditions, latest)) {
        pause(deadline, conditions, latest);
      }
    }
    JsonArray items = new JsonArray();
    latest.values().forEach(items::add);
    output.print(
        new JsonObject().put("items", items),
        () -> ApplicationCommand.print(items, output.is("wide")));
  }

  /** Reads the stream until every Application meets the conditions or the stream ends. */
  private void follow(
      LineStream lines,
      WaitConditions conditions,
      Map<String, JsonObject> latest,
      Map<String, List<String>> shown,
      long deadline)
      throws CliException {
    while (!allMet(conditions, latest)) {
      LineStream.Next next = lines.next(remaining(deadline, conditions, latest));
      if (next == null) {
        continue; // the deadline check in remaining() ends the wait
      }
      if (next.ended()) {
        return;
      }
      JsonObject app;
      try {
        app = new JsonObject(next.line()).getJsonObject("result").getJsonObject("application");
      } catch (DecodeException | ClassCastException | NullPointerException e) {
        throw new CliException("unexpected line in the application stream: " + next.line());
      }
      String name = app.getString("name");
      if (latest.containsKey(name)) {
        latest.put(name, app);
        progress(conditions, name, app, shown);
      }
    }
  }

  /** One line on stderr whenever what an Application lacks changes. */
  private static void progress(
      WaitConditions conditions, String name, JsonObject app, Map<String, List<String>> shown) {
    List<String> unmet = conditions.unmet(app);
    if (unmet.equals(shown.put(name, unmet))) {
      return;
    }
    System.err.println(
        Table.escape(
            unmet.isEmpty()
                ? name
                    + ": done ("
                    + app.getString("syncStatus")
                    + ", "
                    + app.getString("health")
                    + ")"
                : name + ": waiting: " + String.join(", ", unmet)));
  }

  private static boolean allMet(WaitConditions conditions, Map<String, JsonObject> latest) {
    return latest.values().stream().allMatch(a -> conditions.unmet(a).isEmpty());
  }

  /**
   * Time left before the deadline.
   *
   * @throws CliException naming what each Application still lacks once it has passed
   */
  private Duration remaining(
      long deadline, WaitConditions conditions, Map<String, JsonObject> latest)
      throws CliException {
    if (deadline == FOREVER_DEADLINE) {
      return FOREVER;
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      List<String> lacking = new ArrayList<>();
      latest.forEach(
          (name, app) -> {
            List<String> unmet = conditions.unmet(app);
            if (!unmet.isEmpty()) {
              lacking.add("application " + name + ": " + String.join(", ", unmet));
            }
          });
      throw new CliException(
          "timed out (" + timeoutSeconds + "s) waiting for " + String.join("; ", lacking));
    }
    return Duration.ofNanos(left);
  }

  private void pause(long deadline, WaitConditions conditions, Map<String, JsonObject> latest)
      throws CliException {
    Duration left = remaining(deadline, conditions, latest);
    try {
      Thread.sleep(Math.min(left.toMillis(), REOPEN_AFTER.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    remaining(deadline, conditions, latest);
  }
}
