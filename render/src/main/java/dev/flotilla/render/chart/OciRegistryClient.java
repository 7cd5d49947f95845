package dev.flotilla.render.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Charts in an OCI registry, through the distribution API as {@code helm pull oci://...} uses it:
 * tags listed for a constraint, the manifest read, the layer of Helm's chart media type downloaded
 * by digest. Registries asking for a token ({@code WWW-Authenticate: Bearer realm=...}) get the
 * configured user name and password at their token service.
 *
 * <p>Loopback registries are spoken to over plain HTTP, as Docker does for {@code localhost}; every
 * other registry over HTTPS.
 */
final class OciRegistryClient implements ChartRepository {

  static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String CHART_LAYER_MEDIA_TYPE =
      "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final ChartHttp http;
  private final ChartCredentials credentials;
  private final ChartLimits limits;

  /** Registry tokens per repository reference, reused while the registry accepts them. */
  private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

  OciRegistryClient(ChartHttp http, ChartCredentials credentials, ChartLimits limits) {
    this.http = http;
    this.credentials = credentials;
    this.limits = limits;
  }

  @Override
  public Resolved resolve(ChartSource source) throws ChartFetchException {
    Optional<SemanticVersion> exact = source.version().exactVersion();
    String tag;
    SemanticVersion version;
    if (exact.isPresent()) {
      version = exact.get();
      tag = source.version().toString().replace('+', '_');
    } else {
      TreeSet<SemanticVersion> versions = new TreeSet<>();
      Map<SemanticVersion, String> tagOf = new HashMap<>();
      JsonNode list =
          json(get(source, "tags/list", "application/json", "tags of "), "tags of ", source);
      for (JsonNode t : list.path("tags")) {
        // Helm stores "+" as "_" in tags, which may not hold a plus.
        SemanticVersion.parse(t.asText().replace('_', '+'))
            .ifPresent(
                v -> {
                  versions.add(v);
                  tagOf.put(v, t.asText());
                });
      }
      version =
          source
              .version()
              .newest(versions)
              .orElseThrow(
                  () ->
                      new ChartFetchException(
                          source.display()
                              + " has no version matching '"
                              + source.version()
                              + "'"
                              + (versions.isEmpty()
                                  ? " (no version tags)"
                                  : " (newest: " + versions.last() + ")")));
      tag = tagOf.get(version);
    }
    JsonNode manifest =
        json(
            get(source, "manifests/" + tag, MANIFEST_MEDIA_TYPE, "manifest " + tag + " of "),
            "manifest " + tag + " of ",
            source);
    for (JsonNode layer : manifest.path("layers")) {
      if (CHART_LAYER_MEDIA_TYPE.equals(layer.path("mediaType").asText())) {
        String digest = layer.path("digest").asText("");
        if (!digest.startsWith("sha256:")) {
          throw new ChartFetchException(
              source.display() + " " + tag + ": chart layer has no sha256 digest");
        }
        if (layer.path("size").asLong(0) > limits.maxArchiveBytes()) {
          throw new ChartFetchException(
              source.display()
                  + " "
                  + tag
                  + " is "
                  + layer.path("size").asLong()
                  + " bytes, larger than the limit of "
                  + limits.maxArchiveBytes());
        }
        return new Resolved(version, tag.replace('_', '+'), digest, digest.substring(7));
      }
    }
    throw new ChartFetchException(
        source.display()
            + " "
            + tag
            + " is not a Helm chart (no layer of type "
            + CHART_LAYER_MEDIA_TYPE
            + ")");
  }

  @Override
  public byte[] download(ChartSource source, Resolved resolved) throws ChartFetchException {
    ChartHttp.Response r =
        get(
            source,
            "blobs/" + resolved.location(),
            "*/*",
            "chart " + resolved.versionText() + " of ");
    return r.body();
  }

  /** GET /v2/PATH/{suffix}, authenticating once when challenged. */
  private ChartHttp.Response get(
      ChartSource source, String suffix, String accept, String whatPrefix)
      throws ChartFetchException {
    URI uri = base(source).resolve("/v2/" + source.ociPath() + "/" + suffix);
    String what = whatPrefix + source.display();
    long max = suffix.startsWith("blobs/") ? limits.maxArchiveBytes() : limits.maxIndexBytes();
    Map<String, String> headers = Map.of("Accept", accept);
    ChartHttp.Response r = http.get(uri, headers, u -> authorization(source, u), max, what);
    if (r.status() == 401) {
      tokens.remove(source.repository());
      authenticate(source, r, what);
      r = http.get(uri, headers, u -> authorization(source, u), max, what);
    }
    if (!r.ok()) {
      boolean sent = credentials.forUrl(credentialsUrl(source)).isPresent();
      throw new ChartFetchException(
          what
              + ": HTTP "
              + r.status()
              + switch (r.status()) {
                case 401, 403 ->
                    sent
                        ? " (the agent's credentials for it were refused)"
                        : " (no credentials for it in the agent's --helm-credentials file)";
                case 404 -> " (not found)";
                default -> "";
              });
    }
    return r;
  }

  /** Only the registry itself gets the Authorization header, never a host it redirects to. */
  private Optional<String> authorization(ChartSource source, URI uri) {
    if (!hostPort(uri).equalsIgnoreCase(source.registry())) {
      return Optional.empty();
    }
    String token = tokens.get(source.repository());
    if (token != null) {
      return Optional.of(token);
    }
    return credentials
        .forUrl(credentialsUrl(source))
        .filter(e -> e.bearerToken() != null)
        .map(ChartCredentials.Entry::authorization);
  }

  /** Answers a 401's challenge: a token from the registry's token service, or basic credentials. */
  private void authenticate(ChartSource source, ChartHttp.Response challenged, String what)
      throws ChartFetchException {
    Optional<ChartCredentials.Entry> entry = credentials.forUrl(credentialsUrl(source));
    String challenge = challenged.headers().firstValue("WWW-Authenticate").orElse("");
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      if (entry.isEmpty()) {
        throw new ChartFetchException(
            what
                + ": the registry asks for credentials and the agent's --helm-credentials file has"
                + " none for "
                + credentialsUrl(source));
      }
      tokens.put(source.repository(), entry.get().authorization());
      return;
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      return; // nothing to answer: the retry fails with the registry's own status
    }
    Map<String, String> params = new HashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw new ChartFetchException(what + ": the registry's token challenge names no realm");
    }
    StringBuilder query = new StringBuilder();
    if (params.containsKey("service")) {
      query
          .append("service=")
          .append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
    }
    String scope = params.getOrDefault("scope", "repository:" + source.ociPath() + ":pull");
    query
        .append(query.isEmpty() ? "" : "&")
        .append("scope=")
        .append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    URI tokenUri;
    try {
      tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
    } catch (IllegalArgumentException e) {
      throw new ChartFetchException(what + ": the registry's token realm is not a URL", e);
    }
    // The registry's credentials go to the token service it names (as Docker and Helm do).
    Optional<String> basic =
        entry
            .filter(e -> e.password() != null)
            .map(
                e ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (e.username() + ":" + e.password())
                                    .getBytes(StandardCharsets.UTF_8)));
    ChartHttp.Response r =
        http.get(
            tokenUri,
            Map.of(),
            u -> u.equals(tokenUri) ? basic : Optional.empty(),
            limits.maxIndexBytes(),
            "token for " + source.display() + " from " + tokenUri.getHost());
    if (!r.ok()) {
      throw new ChartFetchException(
          "token service "
              + tokenUri.getHost()
              + " refused "
              + source.display()
              + ": HTTP "
              + r.status()
              + (entry.isPresent()
                  ? " (the agent's credentials for it were refused?)"
                  : " (no credentials for it in the agent's --helm-credentials file)"));
    }
    JsonNode token = json(r, "token for ", source);
    String value = token.path("token").asText(token.path("access_token").asText(""));
    if (value.isEmpty()) {
      throw new ChartFetchException(
          "token service " + tokenUri.getHost() + " sent no token for " + source.display());
    }
    tokens.put(source.repository(), "Bearer " + value);
  }

  private static JsonNode json(ChartHttp.Response r, String whatPrefix, ChartSource source)
      throws ChartFetchException {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new ChartFetchException(whatPrefix + source.display() + " is not valid JSON", e);
    }
  }

  static String credentialsUrl(ChartSource source) {
    return "oci://" + source.repository();
  }

  private static URI base(ChartSource source) {
    return URI.create(
        (loopback(source.registry()) ? "http://" : "https://") + source.registry() + "/");
  }

  private static boolean loopback(String hostPort) {
    String host = hostPort.replaceAll(":\\d+$", "");
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+")) {
      return false; // no DNS lookup just to decide the scheme
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private static String hostPort(URI uri) {
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }
}
