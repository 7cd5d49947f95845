package dev.flotilla.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control plane(s) the bench starts when it is given none: one PostgreSQL (embedded, with
 * {@code pg_stat_statements} loaded so statements can be counted) and R {@code flotilla server}
 * processes on it, each a JVM of its own so that its heap, CPU and metrics are its own and not
 * mixed with the simulated agents'. Each replica gets its own {@code FLOTILLA_HOME}; the first
 * one's admin token and secret key are copied to the others, as replicas of one installation share
 * them.
 */
final class LocalControlPlanes implements AutoCloseable {

  /** One started replica: where its REST API, agent endpoint and metrics are. */
  record Replica(String restUrl, String grpcTarget, String metricsUrl, Process process) {}

  private static final Pattern REST =
      Pattern.compile("REST (http://\\S+)\\s+gRPC \\(agents and platform API\\) (\\S+)");
  private static final Pattern METRICS = Pattern.compile("^Metrics: (http://\\S+)");

  private final EmbeddedPostgres postgres;
  private final List<Replica> replicas = new ArrayList<>();
  private final String token;

  private boolean closed;

  private LocalControlPlanes(EmbeddedPostgres postgres, String token) {
    this.postgres = postgres;
    this.token = token;
    // A bench stopped with Ctrl-C or SIGTERM must not leave servers and PostgreSQL running.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    close();
                  } catch (IOException ignored) {
                    // Exiting anyway.
                  }
                },
                "bench-stop-control-planes"));
  }

  /**
   * Starts PostgreSQL under {@code dir}/postgres and {@code count} servers, each with {@code
   * javaOpts} (e.g. -Xmx512m) and its log in {@code dir}/server-N.log.
   */
  static LocalControlPlanes start(
      Path dir, int count, List<String> javaOpts, boolean durable, Consumer<String> progress)
      throws IOException, InterruptedException {
    progress.accept("starting PostgreSQL (embedded, pg_stat_statements loaded)");
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("postgres"))
            .setCleanDataDirectory(true)
            .setServerConfig("shared_preload_libraries", "pg_stat_statements")
            .setServerConfig("max_connections", "200")
            .setServerConfig("fsync", durable ? "on" : "off")
            .setServerConfig("synchronous_commit", durable ? "on" : "off")
            .start();
    LocalControlPlanes planes = null;
    try {
      String dbUrl = "postgresql://postgres:postgres@localhost:" + pg.getPort() + "/postgres";
      Path firstHome = dir.resolve("replica-0");
      progress.accept("starting control plane replica 0");
      Replica first = launch(firstHome, dir.resolve("server-0.log"), dbUrl, javaOpts);
      String token = Files.readString(firstHome.resolve("admin.token")).trim();
      planes = new LocalControlPlanes(pg, token);
      planes.replicas.add(first);
      List<CompletableFuture<Replica>> rest = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        Path home = dir.resolve("replica-" + i);
        Files.createDirectories(home);
        // One installation: the same admin token and the same key for stored secrets.
        for (String file : new String[] {"admin.token", "secret.key"}) {
          if (Files.exists(firstHome.resolve(file))) {
            Files.copy(
                firstHome.resolve(file), home.resolve(file), StandardCopyOption.REPLACE_EXISTING);
          }
        }
        Path log = dir.resolve("server-" + i + ".log");
        progress.accept("starting control plane replica " + i);
        rest.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return launch(home, log, dbUrl, javaOpts);
                  } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                  }
                }));
      }
      for (CompletableFuture<Replica> r : rest) {
        planes.replicas.add(r.join());
      }
      return planes;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (planes != null) {
        planes.close();
      } else {
        pg.close();
      }
      throw e;
    }
  }

  /** Starts one {@code flotilla server} on free ports and waits until it answers /readyz. */
  private static Replica launch(Path home, Path log, String dbUrl, List<String> javaOpts)
      throws IOException, InterruptedException {
    Files.createDirectories(home);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOpts);
    command.addAll(
        List.of(
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.flotilla.cli.FlotillaCli",
            "server",
            "--db-url",
            dbUrl,
            "--http-port",
            "0",
            "--grpc-port",
            "0",
            "--metrics-port",
            "0"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("FLOTILLA_HOME", home.toString());
    Process process = builder.start();
    CompletableFuture<String[]> addresses = new CompletableFuture<>();
    Thread reader =
        new Thread(() -> copyOutput(process, log, addresses), "bench-server-output-" + home);
    reader.setDaemon(true);
    reader.start();
    String[] found;
    try {
      found = addresses.get(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException(
          "control plane in "
              + home
              + " did not start within 180 s"
              + (e.getCause() != null ? ": " + e.getCause().getMessage() : "")
              + " (its log: "
              + log
              + ")");
    }
    Replica replica = new Replica(found[0], found[1], found[2], process);
    awaitReady(replica, log);
    return replica;
  }

  /** Copies the server's output to its log, and reports its addresses once both lines passed. */
  private static void copyOutput(Process process, Path log, CompletableFuture<String[]> addresses) {
    String rest = null;
    String grpc = null;
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        Matcher r = REST.matcher(line);
        if (r.find()) {
          rest = r.group(1);
          grpc = r.group(2);
        }
        Matcher m = METRICS.matcher(line);
        if (m.find() && rest != null) {
          addresses.complete(new String[] {rest, grpc, m.group(1)});
        }
      }
    } catch (IOException e) {
      addresses.completeExceptionally(e);
    }
    addresses.completeExceptionally(
        new IOException("the server exited with status " + exitStatus(process)));
  }

  private static String exitStatus(Process process) {
    try {
      return String.valueOf(process.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static void awaitReady(Replica replica, Path log)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(replica.restUrl() + "/readyz")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (!replica.process().isAlive()) {
        break;
      }
      replica.process().waitFor(250, TimeUnit.MILLISECONDS);
    }
    throw new IOException(replica.restUrl() + " is not ready after 60 s (its log: " + log + ")");
  }

  List<Replica> replicas() {
    return replicas;
  }

  String adminToken() {
    return token;
  }

  /** JDBC URL of the database, for the statement counters. */
  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    for (Replica r : replicas) {
      // SIGTERM: the server closes its streams and pool before PostgreSQL goes.
      r.process().destroy();
    }
    for (Replica r : replicas) {
      try {
        if (!r.process().waitFor(20, TimeUnit.SECONDS)) {
          r.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        r.process().destroyForcibly();
      }
    }
    postgres.close();
  }
}
