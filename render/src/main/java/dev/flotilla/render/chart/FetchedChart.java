package dev.flotilla.render.chart;

import java.nio.file.Path;

/**
 * A chart ready to render.
 *
 * @param version the version chosen, reported as the Application's revision as Argo CD does
 * @param directory the unpacked chart (holding {@code Chart.yaml}) in the agent's chart cache
 */
public record FetchedChart(String version, Path directory) {}
