package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Where {@code pods/{name}/log} reads a Pod's lines. The controller manager provides synthetic
 * lines; {@link #NONE} has none. Implementations must not block: lines may be handed over from any
 * thread.
 */
public interface PodLogSource {

  /** No lines, and a follow that ends at once. */
  PodLogSource NONE =
      (pod, container, tailLines, follow, line, end) -> {
        end.run();
        return () -> {};
      };

  /**
   * Starts handing over the lines of one container.
   *
   * @param pod the Pod as stored
   * @param container the container (the server has checked it exists)
   * @param tailLines only the last N lines, when present
   * @param follow keep handing over new lines until closed
   * @param line receives each line, without its newline
   * @param end called once when there are no more lines (never, while following)
   * @return a handle that stops following (the client went away)
   */
  AutoCloseable open(
      ObjectNode pod,
      String container,
      OptionalInt tailLines,
      boolean follow,
      Consumer<String> line,
      Runnable end);
}
