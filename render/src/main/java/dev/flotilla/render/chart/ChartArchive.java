package dev.flotilla.render.chart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a packaged chart ({@code .tgz}) into a directory, as Helm's loader reads it: regular
 * files and directories only, every path inside the target, within {@link ChartLimits}' file count
 * and sizes (measured while unpacking, so a gzip bomb stops at the limit).
 */
final class ChartArchive {

  private ChartArchive() {}

  /**
   * Unpacks {@code tgz} into {@code target} (an empty directory) and returns the chart's directory
   * (the archive's one top-level directory holding {@code Chart.yaml}).
   */
  static Path unpack(byte[] tgz, Path target, ChartLimits limits, String display)
      throws ChartFetchException {
    long total = 0;
    int files = 0;
    String top = null;
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        if (entry.isSymbolicLink() || entry.isLink()) {
          throw new ChartFetchException(
              display + " holds a link (" + name + "); charts with links are refused");
        }
        if (!entry.isDirectory() && !entry.isFile()) {
          continue; // devices, fifos: nothing Helm reads
        }
        Path path = target.resolve(name).normalize();
        if (name.startsWith("/") || !path.startsWith(target) || path.equals(target)) {
          throw new ChartFetchException(display + " holds a path outside the chart: " + name);
        }
        Path relative = target.relativize(path);
        String first = relative.getName(0).toString();
        if (top == null) {
          top = first;
        } else if (!top.equals(first)) {
          throw new ChartFetchException(
              display + " has more than one top-level directory (" + top + ", " + first + ")");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          continue;
        }
        if (++files > limits.maxFiles()) {
          throw new ChartFetchException(
              display + " holds more than " + limits.maxFiles() + " files, the limit");
        }
        Files.createDirectories(path.getParent());
        total += copy(tar, path, limits, total, display, name);
      }
    } catch (IOException e) {
      throw new ChartFetchException(
          display + " is not a valid chart archive: " + e.getMessage(), e);
    }
    if (top == null) {
      throw new ChartFetchException(display + " is an empty archive");
    }
    Path chart = target.resolve(top);
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      throw new ChartFetchException(display + " has no Chart.yaml in " + top + "/");
    }
    return chart;
  }

  private static long copy(
      InputStream in, Path path, ChartLimits limits, long before, String display, String name)
      throws IOException, ChartFetchException {
    long written = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(path)) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        written += n;
        if (written > limits.maxFileBytes()) {
          throw new ChartFetchException(
              display
                  + ": "
                  + name
                  + " unpacks to more than "
                  + limits.maxFileBytes()
                  + " bytes, the limit for one file");
        }
        if (before + written > limits.maxExpandedBytes()) {
          throw new ChartFetchException(
              display
                  + " unpacks to more than "
                  + limits.maxExpandedBytes()
                  + " bytes, the limit for one chart");
        }
        out.write(buffer, 0, n);
      }
    }
    return written;
  }
}
