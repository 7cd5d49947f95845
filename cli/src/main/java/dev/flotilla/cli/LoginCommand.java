package dev.flotilla.cli;

import dev.flotilla.core.runtime.FlotillaHome;
import dev.flotilla.core.tls.TlsConfigException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla login}: checks a token against the control plane and keeps it, with the address,
 * in {@code $FLOTILLA_HOME/login.json} (readable by its owner only), so later commands need neither
 * flag.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Log in to a control plane with an API token and remember it for later commands.",
      "The token is checked first; it is read from --token, FLOTILLA_TOKEN, or asked for.",
      "Tokens come from `flotilla token create` (an admin makes yours) or, on first start, from"
          + " the server's output."
    })
final class LoginCommand implements Callable<Integer> {

  static final String FILE = "login.json";

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "Control plane REST address (or env FLOTILLA_API). Default: ${DEFAULT-VALUE}",
      defaultValue = "${env:FLOTILLA_API:-" + ApiClient.DEFAULT_API + "}")
  String api;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "The API token (or env FLOTILLA_TOKEN).")
  String token;

  @Option(
      names = ApiClient.CACERT_FLAG,
      paramLabel = "FILE",
      description =
          "PEM certificate of the CA to trust for an https --api (or env FLOTILLA_CACERT); saved"
              + " with the login, so later commands trust it too.")
  Path caCert;

  /**
   * What a login left behind.
   *
   * @param caCert absolute path of the CA certificate the login trusted, or null for the JDK's
   */
  record Saved(String api, String token, String caCert) {}

  @Override
  public Integer call() {
    String t = token != null ? token : System.getenv("FLOTILLA_TOKEN");
    try {
      if (t == null || t.isBlank()) {
        t = ask();
      }
      JsonObject me = ApiClient.from(api, t.strip(), caCert).get("/api/v1/session");
      String ca = caCert != null ? caCert.toString() : System.getenv("FLOTILLA_CACERT");
      save(
          new Saved(
              api,
              t.strip(),
              ca == null || ca.isBlank() ? null : Path.of(ca).toAbsolutePath().toString()));
      System.out.printf(
          "logged in to %s as %s%s%nsaved in %s%n",
          api,
          me.getString("name"),
          me.getJsonArray("teams").isEmpty() ? "" : " (teams: " + join(me) + ")",
          file());
      return 0;
    } catch (CliException | TlsConfigException e) {
      System.err.println("error: login failed: " + Table.escape(e.getMessage()));
      return 1;
    } catch (IOException e) {
      System.err.println("error: could not save the login in " + file() + ": " + e.getMessage());
      return 1;
    }
  }

  private static String join(JsonObject me) {
    return String.join(", ", me.getJsonArray("teams").stream().map(String::valueOf).toList());
  }

  private static String ask() throws IOException, CliException {
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("API token: ");
      if (typed != null && typed.length > 0) {
        return new String(typed);
      }
    } else {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line != null && !line.isBlank()) {
        return line;
      }
    }
    throw new CliException(
        "no token given: pass --token, set FLOTILLA_TOKEN or type it when asked");
  }

  static Path file() {
    return FlotillaHome.resolve().resolve(FILE);
  }

  static void save(Saved saved) throws IOException {
    Path file = file();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system.
    }
    Files.writeString(
        tmp,
        new JsonObject()
            .put("api", saved.api())
            .put("token", saved.token())
            .put("caCert", saved.caCert())
            .encodePrettily());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The saved login, if there is a readable one. */
  static Optional<Saved> saved() {
    try {
      Path file = file();
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      JsonObject json = new JsonObject(Files.readString(file));
      return Optional.of(
          new Saved(json.getString("api"), json.getString("token"), json.getString("caCert")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Command(
      name = "logout",
      mixinStandardHelpOptions = true,
      description = "Forget the saved login (the token itself stays valid until revoked).")
  static final class Logout implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      boolean removed = Files.deleteIfExists(file());
      System.out.println(removed ? "logged out (removed " + file() + ")" : "not logged in");
      return 0;
    }
  }
}
