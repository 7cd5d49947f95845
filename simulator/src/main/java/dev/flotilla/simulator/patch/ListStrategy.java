package dev.flotilla.simulator.patch;

/**
 * How a list field is patched: merged element by element on a key, merged as a set of primitive
 * values, or replaced as a whole (atomic, the default for a list without patch tags).
 *
 * @param mergeKey the element field that identifies an element, for {@link Kind#MERGE_BY_KEY}
 */
record ListStrategy(Kind kind, String mergeKey) {

  enum Kind {
    MERGE_BY_KEY,
    SET,
    ATOMIC
  }

  static final ListStrategy ATOMIC = new ListStrategy(Kind.ATOMIC, null);
  static final ListStrategy SET = new ListStrategy(Kind.SET, null);

  static ListStrategy byKey(String key) {
    return new ListStrategy(Kind.MERGE_BY_KEY, key);
  }

  boolean merges() {
    return kind != Kind.ATOMIC;
  }
}
