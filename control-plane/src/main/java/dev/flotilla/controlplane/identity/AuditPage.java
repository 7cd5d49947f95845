package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.query.KeysetToken;
import java.util.List;

/**
 * One page of the audit log as a caller may see it.
 *
 * @param next where the next page starts; null when the log ran out
 */
public record AuditPage(List<AuditRecord> entries, KeysetToken next) {

  public AuditPage {
    entries = List.copyOf(entries);
  }

  /** The token of the next page, empty on the last one. */
  public String nextPageToken() {
    return next == null ? "" : next.encode();
  }
}
