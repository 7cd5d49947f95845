package dev.flotilla.render;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link HelmRenderer} asks of {@link HelmTemplateMain}, sent on the child's stdin (not its
 * command line, which every user of the host can read) as length-prefixed UTF-8 strings: a JSON
 * library would cost the short-lived child more to load than Helm takes to render.
 *
 * @param library path of helm-java's native Helm library, extracted once by the agent
 * @param chart the chart directory
 * @param valuesFiles value files in order, later ones winning
 * @param parameters {@code --set} parameters in order, winning over every value file
 */
record HelmTemplateRequest(
    String library,
    String chart,
    String releaseName,
    String namespace,
    List<String> valuesFiles,
    List<Parameter> parameters) {

  record Parameter(String name, String value) {}

  /** Requests are small; anything bigger is not one the agent wrote. */
  private static final int MAX_STRING_BYTES = 16 << 20;

  void writeTo(DataOutputStream out) throws IOException {
    write(out, library);
    write(out, chart);
    write(out, releaseName);
    write(out, namespace);
    out.writeInt(valuesFiles.size());
    for (String file : valuesFiles) {
      write(out, file);
    }
    out.writeInt(parameters.size());
    for (Parameter p : parameters) {
      write(out, p.name());
      write(out, p.value());
    }
    out.flush();
  }

  static HelmTemplateRequest readFrom(DataInputStream in) throws IOException {
    String library = read(in);
    String chart = read(in);
    String releaseName = read(in);
    String namespace = read(in);
    List<String> valuesFiles = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      valuesFiles.add(read(in));
    }
    List<Parameter> parameters = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      parameters.add(new Parameter(read(in), read(in)));
    }
    return new HelmTemplateRequest(library, chart, releaseName, namespace, valuesFiles, parameters);
  }

  private static void write(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_STRING_BYTES) {
      throw new IOException("a string of " + length + " bytes");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("a list of " + n + " entries");
    }
    return n;
  }
}
