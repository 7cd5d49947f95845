package dev.flotilla.controlplane.rest;

import dev.flotilla.controlplane.application.RevisionPoller;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/webhook/git}: push events from GitHub, GitLab and Gitea make the control
 * plane poll Git at once instead of at the next interval. With a secret configured, GitHub and
 * Gitea payloads must carry a valid HMAC-SHA256 signature and GitLab ones the secret token;
 * anything else is refused with 401.
 */
public final class GitWebhook {

  private static final Logger LOG = LoggerFactory.getLogger(GitWebhook.class);

  private final String secret;
  private final RevisionPoller poller;

  public GitWebhook(String secret, RevisionPoller poller) {
    this.secret = secret == null || secret.isEmpty() ? null : secret;
    this.poller = poller;
  }

  /** Which forge sent the request, judged by its event header. */
  enum Forge {
    GITHUB,
    GITLAB,
    GITEA,
    UNKNOWN
  }

  /**
   * First step: which forge sent the request and, with a secret configured, whether it is signed.
   * The body is parsed only after this, so an unsigned request never gets that far.
   */
  void verify(RoutingContext ctx) {
    Forge forge = forgeOf(ctx);
    if (forge == Forge.UNKNOWN) {
      Http.error(
          ctx,
          400,
          "unknown webhook: expected a GitHub, GitLab or Gitea push event (no event header)");
      return;
    }
    Buffer body = ctx.body().buffer();
    if (secret != null && !verified(forge, ctx, body)) {
      LOG.warn("refused a {} webhook with a missing or wrong signature", forge);
      Http.error(ctx, 401, "webhook signature missing or invalid");
      return;
    }
    ctx.next();
  }

  /** Last step: a verified push event, its body already parsed; polls Git now. */
  void handle(RoutingContext ctx) {
    Forge forge = forgeOf(ctx);
    var headers = ctx.request().headers();
    String event =
        switch (forge) {
          case GITHUB -> headers.get("X-GitHub-Event");
          case GITEA -> headers.get("X-Gitea-Event");
          default -> headers.get("X-Gitlab-Event");
        };
    boolean push = event.equalsIgnoreCase("push") || event.equalsIgnoreCase("Push Hook");
    if (!push) {
      Http.json(
          ctx,
          200,
          new JsonObject().put("ignored", "event '" + Http.printable(event) + "' is not a push"));
      return;
    }
    if (!(RequestBodies.parsed(ctx) instanceof JsonObject payload)) {
      Http.error(ctx, 400, "webhook body is not a JSON object");
      return;
    }
    Set<String> repositories;
    String ref;
    try {
      repositories = repositories(payload);
      ref = optionalString(payload, "ref");
    } catch (IllegalArgumentException e) {
      Http.error(ctx, 400, "webhook body: " + e.getMessage());
      return;
    }
    LOG.info("{} push to {} ({}): polling Git now", forge, repositories, ref);
    poller.pollSoon();
    Http.json(
        ctx,
        202,
        new JsonObject()
            .put("forge", forge.name().toLowerCase())
            .put("repositories", new JsonArray(repositories.stream().toList()))
            .put("ref", ref));
  }

  private static Forge forgeOf(RoutingContext ctx) {
    var headers = ctx.request().headers();
    return headers.contains("X-Gitea-Event")
        ? Forge.GITEA
        : headers.contains("X-GitHub-Event")
            ? Forge.GITHUB
            : headers.contains("X-Gitlab-Event") ? Forge.GITLAB : Forge.UNKNOWN;
  }

  private static String optionalString(JsonObject payload, String field) {
    Object value = payload.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException(field + ": must be a string");
    }
    return (String) value;
  }

  private boolean verified(Forge forge, RoutingContext ctx, Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    return switch (forge) {
      case GITHUB -> {
        String header = ctx.request().getHeader("X-Hub-Signature-256");
        yield header != null
            && header.startsWith("sha256=")
            && macEquals(header.substring(7), hmacSha256(bytes));
      }
      case GITEA -> macEquals(ctx.request().getHeader("X-Gitea-Signature"), hmacSha256(bytes));
      case GITLAB -> tokenEquals(ctx.request().getHeader("X-Gitlab-Token"), secret);
      default -> false;
    };
  }

  private byte[] hmacSha256(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Compares a hex signature with the expected MAC as bytes, in constant time: hex digits may come
   * in either case (they mean the same bytes), anything that is not hex fails.
   */
  static boolean macEquals(String hexSignature, byte[] expected) {
    if (hexSignature == null || hexSignature.length() != expected.length * 2) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hexSignature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, expected);
  }

  /** A shared secret token must match exactly (case included), compared in constant time. */
  static boolean tokenEquals(String given, String expected) {
    if (given == null || expected == null) {
      return false;
    }
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Every URL the payload gives for the pushed repository (forges name it several ways).
   *
   * @throws IllegalArgumentException naming the field when {@code repository} or {@code project} is
   *     not an object
   */
  static Set<String> repositories(JsonObject payload) {
    Set<String> urls = new LinkedHashSet<>();
    for (String object : new String[] {"repository", "project"}) {
      Object value = payload.getValue(object);
      if (value == null) {
        continue;
      }
      if (!(value instanceof JsonObject repo)) {
        throw new IllegalArgumentException(object + ": must be an object");
      }
      for (String key :
          new String[] {
            "clone_url", "html_url", "ssh_url", "git_http_url", "git_ssh_url", "web_url", "url"
          }) {
        Object v = repo.getValue(key);
        if (v instanceof String s && !s.isBlank()) {
          urls.add(s);
        }
      }
    }
    return urls;
  }
}
