package dev.flotilla.controlplane.identity;

import dev.flotilla.core.rbac.PolicySet;
import java.time.OffsetDateTime;

/**
 * The global policy text as stored, with when and by whom it was last replaced.
 *
 * @param defaultRole held by every authenticated caller (Argo CD's {@code policy.default}); empty
 *     for none
 */
public record StoredPolicy(
    String text, OffsetDateTime updatedAt, String updatedBy, String defaultRole) {

  /** The stored text parsed; it was checked before storing, so this fails only across versions. */
  public PolicySet parsed() {
    return PolicySet.parse(text);
  }
}
