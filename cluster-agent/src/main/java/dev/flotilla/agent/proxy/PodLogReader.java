package dev.flotilla.agent.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.agent.proxy.ApplicationObjects.Node;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.LogOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the log lines of Pods: the last lines at once, or (follow) every new line as the container
 * writes it, handed over from the Kubernetes client's own threads so that no worker waits. The
 * container is the one asked for, else the Pod's first, as Argo CD's UI chooses.
 */
final class PodLogReader {

  private final KubernetesClient client;

  PodLogReader(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The container to read in {@code pod}; refuses one the Pod does not have, naming those it has.
   */
  static String container(Node pod, String asked) {
    List<String> names = new ArrayList<>();
    for (JsonNode c : pod.live().path("spec").path("containers")) {
      names.add(c.path("name").asText());
    }
    if (asked == null || asked.isEmpty()) {
      if (names.isEmpty()) {
        throw ProxyException.invalid("pod " + pod.key().name() + " has no containers");
      }
      return names.get(0);
    }
    if (!names.contains(asked)) {
      throw ProxyException.invalid(
          "pod " + pod.key().name() + " has no container '" + asked + "' (it has " + names + ")");
    }
    return asked;
  }

  static int tail(LogOptions options) {
    int asked = options.getTailLines();
    return asked <= 0
        ? ResourceProxyLimits.DEFAULT_TAIL_LINES
        : Math.min(asked, ResourceProxyLimits.MAX_TAIL_LINES);
  }

  /** The last lines of one container now. */
  List<LogLine> read(Node pod, String container, LogOptions options) {
    String text = loggable(pod, container, options).getLog();
    List<LogLine> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String line : text.split("\n", -1)) {
      out.add(line(pod, container, line));
    }
    if (text.endsWith("\n")) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /**
   * Follows one container: its last lines, then each new one, to {@code lines}; {@code done} runs
   * once the log ends (the container stopped) or it fails. Close the handle to stop.
   */
  LogWatch follow(Node pod, String container, LogOptions options, Consumer<LogLine> lines) {
    return loggable(pod, container, options).watchLog(new LineSplitter(pod, container, lines));
  }

  private TailPrettyLoggable loggable(Node pod, String container, LogOptions options) {
    var resource =
        client
            .pods()
            .inNamespace(pod.key().namespace())
            .withName(pod.key().name())
            .inContainer(container);
    TailPrettyLoggable since =
        options.getSinceSeconds() > 0
            ? resource.sinceSeconds((int) Math.min(Integer.MAX_VALUE, options.getSinceSeconds()))
            : resource;
    return (TailPrettyLoggable) since.tailingLines(tail(options));
  }

  static LogLine line(Node pod, String container, String text) {
    String cut =
        text.length() > ResourceProxyLimits.MAX_LINE_CHARS
            ? text.substring(0, ResourceProxyLimits.MAX_LINE_CHARS) + "..."
            : text;
    return LogLine.newBuilder()
        .setPod(pod.key().name())
        .setContainer(container)
        .setText(cut)
        .build();
  }

  /** Bytes from the client's stream into lines (a line cut at MAX_LINE_CHARS goes as it is). */
  private static final class LineSplitter extends OutputStream {
    private final Node pod;
    private final String container;
    private final Consumer<LogLine> lines;
    private final java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();

    LineSplitter(Node pod, String container, Consumer<LogLine> lines) {
      this.pod = pod;
      this.container = container;
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        emit();
      } else if (current.size() < ResourceProxyLimits.MAX_LINE_CHARS * 4) {
        current.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    @Override
    public synchronized void close() {
      if (current.size() > 0) {
        emit();
      }
    }

    private void emit() {
      lines.accept(line(pod, container, current.toString(StandardCharsets.UTF_8)));
      current.reset();
    }
  }
}
