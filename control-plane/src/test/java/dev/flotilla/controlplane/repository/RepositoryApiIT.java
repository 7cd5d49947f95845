package dev.flotilla.controlplane.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.secret.SecretBox;
import dev.flotilla.controlplane.secret.SecretException;
import dev.flotilla.proto.api.v1.AddRepositoryRequest;
import dev.flotilla.proto.api.v1.ListRepositoriesRequest;
import dev.flotilla.proto.api.v1.RemoveRepositoryRequest;
import dev.flotilla.proto.api.v1.RepositoryKind;
import dev.flotilla.proto.api.v1.RepositoryServiceGrpc;
import dev.flotilla.proto.api.v1.RepositoryUrl;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Repository credentials over REST and gRPC on a real control plane: add, list, get, replace and
 * remove with RBAC (hidden repositories answer like missing ones), every validation mistake named,
 * and no password or key in any response, in the audit log, or readable in Postgres without the
 * key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepositoryApiIT {

  static final String PASSWORD = "pw-Zq81-never-shown";
  static final String KEY_BODY = "c2VjcmV0LWtleS1tYXRlcmlhbC1uZXZlci1zaG93bg==";
  static final String KEY =
      "-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY + "\n-----END OPENSSH PRIVATE KEY-----\n";
  static final String TEAM_A = "https://git.example.com/team-a/";
  static final String TEAM_B = "https://git.example.com/team-b/";

  static final String POLICY =
      """
      g, admin, role:admin
      p, alice, repositories, get, https://git.example.com/team-a/*, allow
      p, alice, repositories, create, https://git.example.com/*, allow
      """;

  @TempDir static Path home;

  private ControlPlane cp;
  private final HttpClient http = HttpClient.newHttpClient();
  private ManagedChannel channel;
  private String admin;
  private String alice;
  private String bob;

  /** Every response body this test saw: none may hold a secret. */
  private final List<String> seen = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
    admin = cp.bootstrapToken().orElseThrow();
    for (String user : List.of("alice", "bob")) {
      ok(send(admin, "POST", "/api/v1/users", new JsonObject().put("name", user).encode()), 201);
    }
    ok(send(admin, "PUT", "/api/v1/policy", new JsonObject().put("policy", POLICY).encode()), 200);
    alice = token(new JsonObject().put("user", "alice"));
    bob = token(new JsonObject().put("user", "bob"));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      assertThat(String.join("\n", seen))
          .as("no response ever held a secret")
          .doesNotContain(PASSWORD)
          .doesNotContain(KEY_BODY);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      cp.close();
    }
  }

  // ---- the life of an entry

  @Test
  void addListGetReplaceAndRemoveWithoutEverShowingASecret() throws Exception {
    String https = TEAM_A + "web.git";
    String ssh = "ssh://git@git.example.com:2222/team-a/infra.git";
    JsonObject added = ok(add(admin, https(https, "git", PASSWORD)), 201);
    assertThat(added.getString("type")).isEqualTo("https");
    assertThat(added.getString("username")).isEqualTo("git");
    assertThat(added.getBoolean("hasPassword")).isTrue();
    assertThat(added.getJsonObject("connectionState").getString("lastSuccessAt")).isNull();
    ok(
        add(
            admin,
            new JsonObject()
                .put("url", ssh)
                .put("sshPrivateKey", KEY)
                .put("insecureIgnoreHostKey", true)),
        201);
    ok(add(admin, https(TEAM_A, "bot", PASSWORD).put("template", true)), 201);

    JsonArray items =
        ok(send(admin, "GET", "/api/v1/repositories", null), 200).getJsonArray("items");
    assertThat(urls(items)).contains(https, ssh, TEAM_A);
    JsonObject got = ok(send(admin, "GET", path(ssh), null), 200);
    assertThat(got.getString("type")).isEqualTo("ssh");
    assertThat(got.getBoolean("hasSshPrivateKey")).isTrue();
    assertThat(got.getBoolean("insecureIgnoreHostKey")).isTrue();
    assertThat(ok(send(admin, "GET", path(TEAM_A), null), 200).getBoolean("template")).isTrue();

    JsonObject replaced = ok(add(admin, https(https, "other-user", PASSWORD + "2")), 201);
    assertThat(replaced.getString("username")).isEqualTo("other-user");

    HttpResponse<String> wrongKind = send(admin, "DELETE", path(https) + "?template=true", null);
    assertThat(wrongKind.statusCode()).isEqualTo(404);
    assertThat(wrongKind.body()).contains("credential template '" + https + "' not found");
    ok(send(admin, "DELETE", path(https) + "?template=false", null), 204);
    ok(send(admin, "DELETE", path(ssh), null), 204);
    ok(send(admin, "DELETE", path(TEAM_A) + "?template=true", null), 204);
    HttpResponse<String> gone = send(admin, "GET", path(https), null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.body()).contains("repository '" + https + "' not found");
    assertThat(send(admin, "DELETE", path(https), null).statusCode()).isEqualTo(404);
  }

  @Test
  void aTemplateAndARepositoryNeverReplaceEachOther() throws Exception {
    String url = "https://git.example.com/shared/";
    ok(add(admin, https(url, "bot", PASSWORD).put("template", true)), 201);
    HttpResponse<String> clash = add(admin, https(url, "bot", PASSWORD));
    assertThat(clash.statusCode()).isEqualTo(409);
    assertThat(clash.body()).contains("is a credential template").contains("repocreds rm " + url);
    ok(send(admin, "DELETE", path(url), null), 204);
  }

  // ---- RBAC

  @Test
  void aUserWithoutCreateIsRefusedAndHiddenRepositoriesAnswerLikeMissingOnes() throws Exception {
    String teamB = TEAM_B + "secret.git";
    ok(add(admin, https(teamB, "git", PASSWORD)), 201);

    HttpResponse<String> refused = add(bob, https(TEAM_A + "bob.git", "git", PASSWORD));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body())
        .contains("'bob' may not create repositories '" + TEAM_A + "bob.git'")
        .doesNotContain(PASSWORD);
    assertThat(send(admin, "GET", path(TEAM_A + "bob.git"), null).statusCode()).isEqualTo(404);

    assertThat(urls(ok(send(bob, "GET", "/api/v1/repositories", null), 200).getJsonArray("items")))
        .isEmpty();
    assertThat(
            urls(ok(send(alice, "GET", "/api/v1/repositories", null), 200).getJsonArray("items")))
        .doesNotContain(teamB);
    HttpResponse<String> hidden = send(alice, "GET", path(teamB), null);
    HttpResponse<String> missing = send(alice, "GET", path(TEAM_B + "nothing.git"), null);
    assertThat(hidden.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
    assertThat(hidden.body().replace("secret.git", "X"))
        .isEqualTo(missing.body().replace("nothing.git", "X"));
    // Alice may create under team-b, but not replace what she cannot see: refused as a create.
    HttpResponse<String> overHidden = add(alice, https(teamB, "alice", "alices-own"));
    assertThat(overHidden.statusCode()).isEqualTo(403);
    assertThat(overHidden.body()).contains("may not create repositories '" + teamB + "'");
    HttpResponse<String> hiddenDelete = send(alice, "DELETE", path(teamB), null);
    assertThat(hiddenDelete.statusCode()).isEqualTo(404);

    // Her own: created, seen, but neither replaced nor removed without update/delete.
    ok(add(alice, https(TEAM_A + "alice.git", "git", PASSWORD)), 201);
    assertThat(add(alice, https(TEAM_A + "alice.git", "git", "x")).body())
        .contains("may not update repositories");
    assertThat(send(alice, "DELETE", path(TEAM_A + "alice.git"), null).statusCode()).isEqualTo(403);
    ok(send(admin, "DELETE", path(TEAM_A + "alice.git"), null), 204);
    ok(send(admin, "DELETE", path(teamB), null), 204);
  }

  // ---- validation

  record Case(String name, JsonObject body, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> invalid() {
    String big = "x".repeat(RepositoryRequest.MAX_SECRET + 1);
    return Stream.of(
        new Case("no url", new JsonObject(), "url: give the repository URL"),
        new Case("blank url", new JsonObject().put("url", "  "), "url: give the repository URL"),
        new Case(
            "url with a space",
            new JsonObject().put("url", "https://x/a b.git"),
            "without spaces or control characters"),
        new Case(
            "url too long",
            new JsonObject().put("url", "https://x/" + "a".repeat(RepositoryRequest.MAX_URL)),
            "at most 2048 characters"),
        new Case(
            "unknown scheme",
            new JsonObject().put("url", "ftp://x/repo.git"),
            "is neither https://, http://, ssh:// nor git@host:path"),
        new Case(
            "password in the url",
            new JsonObject().put("url", "https://me:" + PASSWORD + "@x/repo.git"),
            "not in the URL"),
        new Case(
            "password in an ftp url",
            new JsonObject().put("url", "ftp://me:" + PASSWORD + "@x/repo.git"),
            "not in the URL"),
        new Case(
            "password too long",
            https("https://x/r.git", "git", big),
            "longer than 64 KiB is not a credential"),
        new Case(
            "ssh with a password",
            new JsonObject().put("url", "git@x:r.git").put("password", PASSWORD),
            "password: an SSH repository authenticates with --ssh-private-key-path"),
        new Case(
            "ssh with no key text",
            new JsonObject().put("url", "ssh://git@x/r.git").put("sshPrivateKey", PASSWORD),
            "sshPrivateKey: not a private key in OpenSSH or PEM form"),
        new Case(
            "ssh with an encrypted key",
            new JsonObject()
                .put("url", "ssh://git@x/r.git")
                .put(
                    "sshPrivateKey",
                    "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n" + KEY_BODY),
            "protected by a passphrase"),
        new Case(
            "https with a key",
            new JsonObject().put("url", "https://x/r.git").put("sshPrivateKey", KEY),
            "sshPrivateKey: 'https://x/r.git' is an HTTPS URL"),
        new Case(
            "https ignoring host keys",
            new JsonObject().put("url", "https://x/r.git").put("insecureIgnoreHostKey", true),
            "insecureIgnoreHostKey: only SSH repositories have host keys"),
        new Case(
            "password without user",
            new JsonObject().put("url", "https://x/r.git").put("password", PASSWORD),
            "username: a password or token needs a user name"),
        new Case(
            "user without password",
            new JsonObject().put("url", "https://x/r.git").put("username", "git"),
            "password: user 'git' needs a password or token"),
        new Case(
            "template not a boolean",
            new JsonObject().put("url", "https://x/").put("template", "yes"),
            "template: must be true or false"),
        new Case("url not a string", new JsonObject().put("url", 7), "url"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void everyMistakeIsNamedAndStoresNothing(Case c) throws Exception {
    HttpResponse<String> r = add(admin, c.body());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("error")).contains(c.error());
    assertThat(r.body()).doesNotContain(PASSWORD).doesNotContain(KEY_BODY);
    var grpc = RepositoryServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(admin));
    if (c.body().getValue("url") instanceof String url
        && !(c.body().getValue("template") instanceof String)) {
      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () ->
                  grpc.add(
                      AddRepositoryRequest.newBuilder()
                          .setUrl(url)
                          .setUsername(c.body().getString("username", ""))
                          .setPassword(c.body().getString("password", ""))
                          .setSshPrivateKey(c.body().getString("sshPrivateKey", ""))
                          .setInsecureIgnoreHostKey(
                              c.body().getBoolean("insecureIgnoreHostKey", false))
                          .build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains(c.error()).doesNotContain(PASSWORD);
    }
  }

  // ---- gRPC

  @Test
  void theGrpcTwinAnswersAsRestDoes() throws Exception {
    var asAdmin = RepositoryServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(admin));
    var asAlice = RepositoryServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(alice));
    var asBob = RepositoryServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(bob));
    String url = TEAM_B + "grpc.git";
    var added =
        asAdmin.add(
            AddRepositoryRequest.newBuilder()
                .setUrl(url)
                .setUsername("git")
                .setPassword(PASSWORD)
                .build());
    seen.add(added.toString());
    assertThat(added.getHasPassword()).isTrue();
    assertThat(added.getType()).isEqualTo("https");
    assertThat(added.hasCreatedAt()).isTrue();
    var listed = asAdmin.list(ListRepositoriesRequest.getDefaultInstance());
    seen.add(listed.toString());
    assertThat(listed.getRepositoriesList()).extracting(r -> r.getUrl()).contains(url);
    assertThat(asAdmin.get(RepositoryUrl.newBuilder().setUrl(url).build()).getUsername())
        .isEqualTo("git");

    assertThat(code(() -> asAlice.get(RepositoryUrl.newBuilder().setUrl(url).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(asBob.list(ListRepositoriesRequest.getDefaultInstance()).getRepositoriesList())
        .isEmpty();
    assertThat(
            code(
                () ->
                    asBob.add(
                        AddRepositoryRequest.newBuilder()
                            .setUrl(TEAM_A + "x.git")
                            .setUsername("git")
                            .setPassword(PASSWORD)
                            .build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            code(
                () ->
                    asAdmin.remove(
                        RemoveRepositoryRequest.newBuilder()
                            .setUrl(url)
                            .setKind(RepositoryKind.REPOSITORY_KIND_TEMPLATE)
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    asAdmin.remove(
        RemoveRepositoryRequest.newBuilder()
            .setUrl(url)
            .setKind(RepositoryKind.REPOSITORY_KIND_REPOSITORY)
            .build());
    assertThat(code(() -> asAdmin.get(RepositoryUrl.newBuilder().setUrl(url).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    RepositoryServiceGrpc.newBlockingStub(channel)
                        .list(ListRepositoriesRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  // ---- secrets at rest and in the audit log

  @Test
  void storedSecretsAreUnreadableWithoutTheKeyAndTheAuditLogHoldsNone() throws Exception {
    String https = TEAM_A + "sealed.git";
    String ssh = "git@git.example.com:team-a/sealed.git";
    ok(add(admin, https(https, "git", PASSWORD)), 201);
    ok(add(admin, new JsonObject().put("url", ssh).put("sshPrivateKey", KEY)), 201);
    add(admin, new JsonObject().put("url", "https://me:" + PASSWORD + "@x/leak.git"));
    add(bob, https(TEAM_A + "refused.git", "git", PASSWORD));

    var rows =
        cp.database()
            .pool(cp.vertx())
            .preparedQuery(
                "SELECT url, password_sealed, ssh_private_key_sealed FROM repositories"
                    + " WHERE url = ANY($1)")
            .execute(io.vertx.sqlclient.Tuple.of(new String[] {https, ssh}))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertThat(rows.size()).isEqualTo(2);
    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    SecretBox wrongKey = new SecretBox(otherKey);
    rows.forEach(
        r -> {
          String sealed = r.getString(1) != null ? r.getString(1) : r.getString(2);
          assertThat(sealed).isNotBlank().doesNotContain(PASSWORD).doesNotContain(KEY_BODY);
          assertThat(sealed).doesNotContain("OPENSSH");
          assertThatThrownBy(() -> wrongKey.open(sealed, r.getString(0)))
              .isInstanceOf(SecretException.class);
        });

    String audit =
        ok(send(admin, "GET", "/api/v1/audit?kind=repositories&limit=1000", null), 200).encode();
    assertThat(audit).contains(https).contains("sealed.git").contains("\"result\":\"deny\"");
    assertThat(audit).doesNotContain(PASSWORD).doesNotContain(KEY_BODY);
    ok(send(admin, "DELETE", path(https), null), 204);
    ok(send(admin, "DELETE", path(ssh), null), 204);
  }

  // ---- helpers

  static JsonObject https(String url, String user, String password) {
    return new JsonObject().put("url", url).put("username", user).put("password", password);
  }

  private HttpResponse<String> add(String token, JsonObject body) throws Exception {
    return send(token, "POST", "/api/v1/repositories", body.encode());
  }

  private static String path(String url) {
    return "/api/v1/repositories/"
        + URLEncoder.encode(url, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static List<String> urls(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("url")).toList();
  }

  private String token(JsonObject request) throws Exception {
    HttpResponse<String> r =
        send(admin, "POST", "/api/v1/tokens", request.put("description", "test").encode());
    return ok(r, 201).getString("token");
  }

  private HttpResponse<String> send(String token, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    seen.add(r.body());
    return r;
  }

  private static JsonObject ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  private Status.Code code(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("expected a gRPC error").isNotNull();
    seen.add(String.valueOf(e.getStatus().getDescription()));
    return e.getStatus().getCode();
  }

  static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier apply) {
        Metadata headers = new Metadata();
        headers.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        apply.apply(headers);
      }
    };
  }
}
