package dev.flotilla.git;

import java.time.Duration;

/**
 * Told about every network request to a Git server (a clone or a fetch), for metrics. Called on the
 * thread that made the request, after it ended; must not block.
 */
@FunctionalInterface
public interface GitRequestObserver {

  /** Argo CD's {@code request_type} of a clone or fetch. */
  String FETCH = "fetch";

  GitRequestObserver NONE = (url, type, took, failed) -> {};

  void requestEnded(String url, String requestType, Duration took, boolean failed);
}
