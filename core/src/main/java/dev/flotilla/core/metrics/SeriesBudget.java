package dev.flotilla.core.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's cardinality bounded: the first {@code limit} distinct values are admitted and
 * keep their own series for the life of the process; every later value is reported as {@link
 * MetricLabels#OTHER}, so a flood of names (10,000 repositories, a generator gone wild) costs one
 * series, not one each. Thread-safe.
 */
public final class SeriesBudget {

  private final int limit;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  public SeriesBudget(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException(
          "a series budget needs a limit of at least 1, not " + limit);
    }
    this.limit = limit;
  }

  /** {@code value} itself while the budget lasts (or if admitted before), else "other". */
  public String admit(String value) {
    if (admitted.contains(value)) {
      return value;
    }
    synchronized (admitted) {
      if (admitted.size() < limit) {
        admitted.add(value);
        return value;
      }
    }
    return admitted.contains(value) ? value : MetricLabels.OTHER;
  }

  public int limit() {
    return limit;
  }

  /** Distinct values admitted so far. */
  public int size() {
    return admitted.size();
  }
}
