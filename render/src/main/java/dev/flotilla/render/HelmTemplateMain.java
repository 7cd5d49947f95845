package dev.flotilla.render;

import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.jni.HelmLib;
import com.sun.jna.Native;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code helm template} in a child JVM of the agent: reads a {@link HelmTemplateRequest} from
 * stdin, renders the chart with helm-java (real Helm, a native library) and writes the manifests to
 * stdout.
 *
 * <p>It runs in its own process because a native call cannot be interrupted or bounded: the agent
 * kills this process at the render deadline, and stops reading (and kills it) when the output
 * passes the limit. Whatever Helm allocates dies with the process.
 */
public final class HelmTemplateMain {

  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_BAD_REQUEST = 2;

  /** The manifests did not fit in this process's heap, sized well above the output limit. */
  static final int EXIT_OUT_OF_MEMORY = 3;

  private HelmTemplateMain() {}

  public static void main(String[] args) {
    System.exit(run(System.in, new FileOutputStream(FileDescriptor.out), System.err));
  }

  static int run(InputStream in, OutputStream out, PrintStream err) {
    HelmTemplateRequest request;
    try {
      request = HelmTemplateRequest.readFrom(new DataInputStream(new BufferedInputStream(in)));
    } catch (IOException e) {
      err.println("invalid request from the agent: " + e.getMessage());
      return EXIT_BAD_REQUEST;
    }
    String manifests;
    try {
      HelmLib helm = Native.load(request.library(), HelmLib.class);
      TemplateCommand template =
          new TemplateCommand(helm, Path.of(request.chart()))
              .withName(request.releaseName())
              .withNamespace(request.namespace());
      for (String file : request.valuesFiles()) {
        template.withValuesFile(Path.of(file));
      }
      for (HelmTemplateRequest.Parameter p : request.parameters()) {
        template.set(p.name(), p.value());
      }
      manifests = template.call();
    } catch (OutOfMemoryError e) {
      err.println("the rendered manifests do not fit in the renderer's memory");
      return EXIT_OUT_OF_MEMORY;
    } catch (RuntimeException | LinkageError e) {
      // helm-java reports Helm's own error (e.g. a template error) as the message.
      err.print(e.getMessage());
      return EXIT_FAILED;
    }
    try {
      // Written as characters, not as one more byte[] copy of the whole output.
      Writer writer =
          new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
      writer.write(manifests);
      writer.flush();
    } catch (IOException e) {
      // The agent stopped reading (output over the limit): it kills this process anyway.
      return EXIT_FAILED;
    }
    return EXIT_OK;
  }
}
