package dev.flotilla.render.chart;

import dev.flotilla.core.digest.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fetches the chart an Application names from a Helm repository or an OCI registry into an on-disk
 * cache keyed by (repository, chart, version), and hands back its directory for Helm.
 *
 * <p>An exact version already cached is used without any request; a constraint is resolved anew at
 * every reconcile (the index or tag list is read), so a newly published matching version is picked
 * up, and its package is downloaded once. A package whose digest the repository states is verified
 * before it is unpacked; an OCI package always is (its digest names it). Cached charts are unpacked
 * into a fresh directory and moved into place whole, so concurrent reconciles and a crash mid-way
 * never leave a half chart.
 *
 * <p>Every method blocks (network, disk): call from a reconcile worker.
 */
public final class ChartFetcher {

  private static final String READY = "chart";

  private final Path cacheDir;
  private final ChartLimits limits;
  private final HelmRepositoryClient helmRepositories;
  private final OciRegistryClient registries;

  public ChartFetcher(Path cacheDir, ChartCredentials credentials, ChartLimits limits) {
    this.cacheDir = cacheDir;
    this.limits = limits;
    ChartHttp http = new ChartHttp(limits.timeout());
    this.helmRepositories = new HelmRepositoryClient(http, credentials, limits);
    this.registries = new OciRegistryClient(http, credentials, limits);
  }

  /** The chart {@code source} names, fetched (or found in the cache) and unpacked. */
  public FetchedChart fetch(ChartSource source) throws ChartFetchException {
    return fetch(source, false);
  }

  /**
   * As {@link #fetch(ChartSource)}; with {@code refetch} (a hard refresh) the cache is not used:
   * the version is resolved and the package downloaded, verified and unpacked again, replacing the
   * cached copy (a chart republished under the same version, or a damaged cache entry).
   */
  public FetchedChart fetch(ChartSource source, boolean refetch) throws ChartFetchException {
    Optional<SemanticVersion> exact = source.version().exactVersion();
    if (exact.isPresent() && !refetch) {
      Path cached = entry(source, source.version().toString()).resolve(READY);
      Optional<Path> chart = chartIn(cached);
      if (chart.isPresent()) {
        return new FetchedChart(source.version().toString(), chart.get());
      }
    }
    ChartRepository repository =
        source.kind() == ChartSource.Kind.OCI ? registries : helmRepositories;
    ChartRepository.Resolved resolved = repository.resolve(source);
    Path entry = entry(source, resolved.versionText());
    Optional<Path> cached = refetch ? Optional.empty() : chartIn(entry.resolve(READY));
    if (cached.isPresent()) {
      return new FetchedChart(resolved.versionText(), cached.get());
    }
    byte[] archive = repository.download(source, resolved);
    String display = source.display() + " " + resolved.versionText();
    verify(archive, resolved.sha256(), display);
    return new FetchedChart(resolved.versionText(), unpack(archive, entry, display, refetch));
  }

  private static void verify(byte[] archive, String sha256, String display)
      throws ChartFetchException {
    if (sha256 == null) {
      return;
    }
    MessageDigest digest = Digests.sha256();
    String actual = HexFormat.of().formatHex(digest.digest(archive));
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new ChartFetchException(
          display
              + ": the downloaded package's sha256 is "
              + actual
              + ", not "
              + sha256
              + " as the repository states; refused");
    }
  }

  /**
   * Unpacks into a scratch directory next to the entry, then moves it into place whole; with {@code
   * replace}, a copy already in place is moved aside first and deleted (a render reading it at that
   * moment fails and is retried by the next reconcile).
   */
  private Path unpack(byte[] archive, Path entry, String display, boolean replace)
      throws ChartFetchException {
    Path scratch = null;
    try {
      Files.createDirectories(entry);
      scratch = Files.createTempDirectory(entry, "unpacking-");
      Path chart = ChartArchive.unpack(archive, scratch, limits, display);
      String top = scratch.relativize(chart).toString();
      Path ready = entry.resolve(READY);
      if (replace && Files.isDirectory(ready)) {
        Path stale = Files.createTempDirectory(entry, "stale-");
        Files.move(ready, stale.resolve(READY), StandardCopyOption.ATOMIC_MOVE);
        deleteQuietly(stale);
      }
      try {
        Files.move(scratch, ready, StandardCopyOption.ATOMIC_MOVE);
        scratch = null;
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // Another reconcile unpacked the same chart meanwhile: use that one.
      } catch (AtomicMoveNotSupportedException e) {
        throw new ChartFetchException(display + ": the chart cache cannot move directories", e);
      }
      return ready.resolve(top);
    } catch (IOException e) {
      throw new ChartFetchException(
          display + " could not be stored in the chart cache " + cacheDir + ": " + e, e);
    } finally {
      if (scratch != null) {
        deleteQuietly(scratch);
      }
    }
  }

  /** The chart directory inside a ready cache entry, if there is one. */
  private static Optional<Path> chartIn(Path ready) throws ChartFetchException {
    if (!Files.isDirectory(ready)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(ready)) {
      return children.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml"))).findFirst();
    } catch (IOException e) {
      throw new ChartFetchException("the chart cache entry " + ready + " cannot be read: " + e, e);
    }
  }

  /** One directory per (kind, repository, chart, version); the name is a digest of them. */
  private Path entry(ChartSource source, String version) {
    String key =
        source.kind() + "\n" + source.repository() + "\n" + source.chart() + "\n" + version;
    String hex =
        HexFormat.of().formatHex(Digests.sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
    return cacheDir.resolve(source.chart() + "-" + hex.substring(0, 32));
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      // Leftover scratch space; the next fetch makes a new one.
    }
  }
}
