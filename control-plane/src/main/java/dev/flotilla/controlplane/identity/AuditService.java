package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log as each caller may read it, for every entry point: newest first, only entries about
 * objects the caller may see (and about its own account), paged by keyset.
 */
public final class AuditService {

  /** Batches one request may read while looking for visible entries: bounds the work it causes. */
  private static final int MAX_BATCHES = 20;

  private final AuditRepository log;

  public AuditService(AuditRepository log) {
    this.log = log;
  }

  /**
   * Up to {@code limit} entries matching {@code query} (whose own limit is the batch size and whose
   * {@code after} is the page token) that the caller may see.
   */
  public Future<AuditPage> list(Caller caller, AuditQuery query, int limit) {
    List<AuditRecord> found = new ArrayList<>();
    return collectVisible(caller, query, limit, found, 0).map(next -> new AuditPage(found, next));
  }

  /**
   * Reads the log newest first in batches until {@code limit} entries the caller may see are found
   * or the log (or the batch budget) runs out. Batches continue after the (at, id) key of the last
   * line read, so lines sharing a timestamp are never skipped. Yields the key to continue from, or
   * null when the log ran out.
   */
  private Future<KeysetToken> collectVisible(
      Caller caller, AuditQuery query, int limit, List<AuditRecord> found, int batches) {
    return log.query(query)
        .compose(
            records -> {
              KeysetToken last = null;
              for (AuditRecord r : records) {
                if (found.size() >= limit) {
                  break;
                }
                last = new KeysetToken(r.at().toInstant(), r.id());
                if (visible(caller, r)) {
                  found.add(r);
                }
              }
              if (records.size() < query.limit() && found.size() < limit) {
                return Future.succeededFuture(null);
              }
              if (found.size() >= limit || batches >= MAX_BATCHES) {
                // A last page that exactly fills the limit still answers a token; the next page is
                // then empty, which saves looking ahead.
                return Future.succeededFuture(last);
              }
              return collectVisible(caller, query.after(last), limit, found, batches + 1);
            });
  }

  /**
   * An entry is shown to whoever may see its object. Not simply to its actor: an entry about a
   * refused attempt on a hidden object names that object's project, which the actor must not learn.
   */
  static boolean visible(Caller caller, AuditRecord r) {
    return caller.sees(r.objectKind(), r.objectName())
        || (Resources.ACCOUNTS.equals(r.objectKind())
            && r.objectName().equals("users/" + caller.name()));
  }
}
