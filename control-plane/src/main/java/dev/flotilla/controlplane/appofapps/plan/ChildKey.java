package dev.flotilla.controlplane.appofapps.plan;

import java.util.Comparator;

/** One child of a parent: its kind and name (names are unique per kind). */
public record ChildKey(ChildKind kind, String name) implements Comparable<ChildKey> {

  private static final Comparator<ChildKey> ORDER =
      Comparator.comparing(ChildKey::kind).thenComparing(ChildKey::name);

  @Override
  public int compareTo(ChildKey other) {
    return ORDER.compare(this, other);
  }

  /** E.g. {@code Application 'billing'}. */
  @Override
  public String toString() {
    return kind.kind() + " '" + name + "'";
  }
}
