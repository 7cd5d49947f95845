package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.rbac.PolicySet;
import java.time.OffsetDateTime;

/** The global policy text as stored, with when and by whom it was last replaced. */
public record StoredPolicy(String text, OffsetDateTime updatedAt, String updatedBy) {

  /** The stored text parsed; it was checked before storing, so this fails only across versions. */
  public PolicySet parsed() {
    return PolicySet.parse(text);
  }
}
