package dev.flotilla.controlplane.rest;

import dev.flotilla.controlplane.application.RevisionPoller;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
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

  public void handle(RoutingContext ctx) {
    var headers = ctx.request().headers();
    Forge forge =
        headers.contains("X-Gitea-Event")
            ? Forge.GITEA
            : headers.contains("X-GitHub-Event")
                ? Forge.GITHUB
                : headers.contains("X-Gitlab-Event") ? Forge.GITLAB : Forge.UNKNOWN;
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
    String event =
        switch (forge) {
          case GITHUB -> headers.get("X-GitHub-Event");
          case GITEA -> headers.get("X-Gitea-Event");
          default -> headers.get("X-Gitlab-Event");
        };
    boolean push = event.equalsIgnoreCase("push") || event.equalsIgnoreCase("Push Hook");
    if (!push) {
      Http.json(ctx, 200, new JsonObject().put("ignored", "event '" + event + "' is not a push"));
      return;
    }
    JsonObject payload;
    try {
      payload = body == null ? null : body.toJsonObject();
    } catch (DecodeException e) {
      payload = null;
    }
    if (payload == null) {
      Http.error(ctx, 400, "webhook body is not a JSON object");
      return;
    }
    Set<String> repositories = repositories(payload);
    LOG.info("{} push to {} ({}): polling Git now", forge, repositories, payload.getString("ref"));
    poller.pollSoon();
    Http.json(
        ctx,
        202,
        new JsonObject()
            .put("forge", forge.name().toLowerCase())
            .put("repositories", new JsonArray(repositories.stream().toList()))
            .put("ref", payload.getString("ref")));
  }

  private boolean verified(Forge forge, RoutingContext ctx, Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    return switch (forge) {
      case GITHUB -> {
        String header = ctx.request().getHeader("X-Hub-Signature-256");
        yield header != null
            && header.startsWith("sha256=")
            && constantTimeEquals(header.substring(7), hmacSha256(bytes));
      }
      case GITEA -> {
        String header = ctx.request().getHeader("X-Gitea-Signature");
        yield header != null && constantTimeEquals(header, hmacSha256(bytes));
      }
      case GITLAB -> constantTimeEquals(ctx.request().getHeader("X-Gitlab-Token"), secret);
      default -> false;
    };
  }

  private String hmacSha256(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(
        a.toLowerCase().getBytes(StandardCharsets.UTF_8),
        b.toLowerCase().getBytes(StandardCharsets.UTF_8));
  }

  /** Every URL the payload gives for the pushed repository (forges name it several ways). */
  static Set<String> repositories(JsonObject payload) {
    Set<String> urls = new LinkedHashSet<>();
    for (String object : new String[] {"repository", "project"}) {
      JsonObject repo = payload.getJsonObject(object);
      if (repo == null) {
        continue;
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
