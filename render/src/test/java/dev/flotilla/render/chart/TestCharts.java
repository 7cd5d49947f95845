package dev.flotilla.render.chart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Packaged charts made by the tests, as {@code helm package} lays them out. */
public final class TestCharts {

  private TestCharts() {}

  /**
   * A chart {@code name} at {@code version} rendering one ConfigMap named after the release whose
   * {@code greeting} comes from the values (default "hello from VERSION").
   */
  public static byte[] configMapChart(String name, String version) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("Chart.yaml", "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    files.put("values.yaml", "greeting: hello from " + version + "\n");
    files.put(
        "templates/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
            + "data:\n  greeting: {{ .Values.greeting | quote }}\n  chart: {{ .Chart.Version | quote }}\n");
    return tgz(name, files);
  }

  /** A .tgz of {@code files} under the directory {@code top}, as Helm packages a chart. */
  public static byte[] tgz(String top, Map<String, String> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, String> f : files.entrySet()) {
        byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry =
            new TarArchiveEntry(top.isEmpty() ? f.getKey() : top + "/" + f.getKey());
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A .tgz with one symbolic link {@code name} to {@code target} beside a Chart.yaml. */
  public static byte[] withSymlink(String chart, String name, String target) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      byte[] content =
          ("apiVersion: v2\nname: " + chart + "\nversion: 1.0.0\n")
              .getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry yaml = new TarArchiveEntry(chart + "/Chart.yaml");
      yaml.setSize(content.length);
      tar.putArchiveEntry(yaml);
      tar.write(content);
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry(chart + "/" + name, TarArchiveEntry.LF_SYMLINK);
      link.setLinkName(target);
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
