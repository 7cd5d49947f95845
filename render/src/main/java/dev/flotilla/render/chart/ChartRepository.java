package dev.flotilla.render.chart;

/** Where charts of one kind come from: resolves a version, then downloads that version. */
interface ChartRepository {

  /**
   * A version of a chart and where its package is.
   *
   * @param location the archive's URL, or the OCI tag
   * @param sha256 the archive's digest as the repository states it (hex), or null when it states
   *     none
   */
  record Resolved(SemanticVersion version, String versionText, String location, String sha256) {}

  /** The newest version matching the source's constraint, or its exact version. */
  Resolved resolve(ChartSource source) throws ChartFetchException;

  /** The packaged chart ({@code .tgz}), bounded by {@link ChartLimits#maxArchiveBytes()}. */
  byte[] download(ChartSource source, Resolved resolved) throws ChartFetchException;
}
