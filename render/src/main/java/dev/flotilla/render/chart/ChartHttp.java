package dev.flotilla.render.chart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * GET requests for chart fetching, each bounded in time (headers and body together) and in size
 * (the body is counted as it arrives and the exchange cancelled past the limit).
 *
 * <p>Redirects are followed here, at most {@value #MAX_REDIRECTS}, because the Authorization header
 * is chosen anew for every URL: a registry that redirects a blob to a storage host must not hand
 * that host our credentials.
 */
final class ChartHttp {

  static final int MAX_REDIRECTS = 5;
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** A response read whole, within the limit. */
  record Response(int status, byte[] body, HttpHeaders headers, URI uri) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  /** The body was larger than allowed. */
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("more than " + limit + " bytes");
    }
  }

  private final HttpClient client;
  private final Duration timeout;

  ChartHttp(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(
                timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT)
            .build();
  }

  /**
   * GETs {@code uri}, following redirects.
   *
   * @param authorization the Authorization header for a URL, if it gets one
   * @param what what is read, for messages ("index.yaml of Helm repository https://...")
   */
  Response get(
      URI uri,
      Map<String, String> headers,
      Function<URI, Optional<String>> authorization,
      long maxBytes,
      String what)
      throws ChartFetchException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(timeout).GET();
      headers.forEach(request::header);
      authorization.apply(current).ifPresent(a -> request.header("Authorization", a));
      Response response = send(request.build(), maxBytes, what);
      int status = response.status();
      Optional<String> location = response.headers().firstValue("Location");
      if (status / 100 == 3 && location.isPresent()) {
        current = current.resolve(location.get());
        continue;
      }
      return response;
    }
    throw new ChartFetchException(what + ": more than " + MAX_REDIRECTS + " redirects");
  }

  private Response send(HttpRequest request, long maxBytes, String what)
      throws ChartFetchException {
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new BoundedBody(maxBytes));
    try {
      HttpResponse<byte[]> r = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Response(r.statusCode(), r.body(), r.headers(), r.uri());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ChartFetchException(
          what + ": no complete answer within " + timeout.toSeconds() + "s (timed out)", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ChartFetchException(what + ": interrupted (the agent is stopping)", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof IOException && cause.getCause() instanceof TooLarge) {
        cause = cause.getCause();
      }
      if (cause instanceof java.net.http.HttpTimeoutException) {
        throw new ChartFetchException(
            what + ": no complete answer within " + timeout.toSeconds() + "s (timed out)", cause);
      }
      if (cause instanceof TooLarge) {
        throw new ChartFetchException(
            what + " is larger than " + maxBytes + " bytes, the limit; refused", cause);
      }
      throw new ChartFetchException(what + ": " + describe(cause), cause);
    }
  }

  /** A connection failure in words; the JDK's ConnectException has no message at all. */
  private static String describe(Throwable t) {
    String message = t.getMessage();
    String kind = t.getClass().getSimpleName();
    if (t instanceof java.net.ConnectException) {
      return "cannot connect" + (message == null ? "" : " (" + message + ")");
    }
    if (t instanceof javax.net.ssl.SSLException) {
      return "TLS failed: " + message;
    }
    return message == null ? kind : kind + ": " + message;
  }

  /** Collects the body, failing as soon as it passes the limit. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        if (bytes.size() + (long) b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge(limit));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
