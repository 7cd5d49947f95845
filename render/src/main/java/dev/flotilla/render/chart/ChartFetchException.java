package dev.flotilla.render.chart;

/** A chart could not be fetched; the message names the chart, where from and what failed. */
public class ChartFetchException extends Exception {
  public ChartFetchException(String message) {
    super(message);
  }

  public ChartFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
