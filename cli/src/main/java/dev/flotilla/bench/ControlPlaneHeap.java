package dev.flotilla.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The heap a control plane uses, read from its Prometheus endpoint ({@code jvm_memory_used_bytes}
 * of every heap pool, summed), as an operator's Prometheus would see it.
 */
final class ControlPlaneHeap {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> metricsUrls;
  private volatile double maxMib;

  ControlPlaneHeap(List<String> metricsUrls) {
    this.metricsUrls = metricsUrls;
  }

  /** Scrapes every replica once; remembers the largest heap seen on any one of them. */
  void sample() {
    for (String url : metricsUrls) {
      OptionalDouble mib = scrape(url);
      if (mib.isPresent() && mib.getAsDouble() > maxMib) {
        maxMib = mib.getAsDouble();
      }
    }
  }

  /** Largest heap seen on one replica, in MiB; 0 when no scrape succeeded. */
  double maxMib() {
    return maxMib;
  }

  boolean enabled() {
    return !metricsUrls.isEmpty();
  }

  private OptionalDouble scrape(String url) {
    try {
      HttpResponse<java.util.stream.Stream<String>> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofLines());
      if (r.statusCode() != 200) {
        r.body().close();
        return OptionalDouble.empty();
      }
      try (var lines = r.body()) {
        return OptionalDouble.of(heapBytes(lines.toList()) / (1024.0 * 1024.0));
      }
    } catch (IOException e) {
      return OptionalDouble.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalDouble.empty();
    }
  }

  /** Sum of {@code jvm_memory_used_bytes{area="heap",...}} in a Prometheus text exposition. */
  static double heapBytes(List<String> lines) {
    double sum = 0;
    for (String line : lines) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
