package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.appset.plan.GenerationPlan;
import io.vertx.core.Future;
import java.util.List;

/**
 * Carries a {@link GenerationPlan} out in Postgres, in one transaction: all of it or nothing, so a
 * failed store leaves every Application as it was.
 */
final class GenerationPlanStore {

  private final ApplicationRepository applications;

  GenerationPlanStore(ApplicationRepository applications) {
    this.applications = applications;
  }

  /**
   * Stores the plan of {@code applicationSet}; the plan returned is what was stored, without the
   * Applications another ApplicationSet owns (read in the same transaction, so two sets generating
   * one name cannot both win).
   */
  Future<GenerationPlan> store(String applicationSet, GenerationPlan plan) {
    if (plan.changesNothing()) {
      return Future.succeededFuture(plan);
    }
    List<String> names = plan.upserts().stream().map(StoredApplication::name).toList();
    return applications
        .pool()
        .withTransaction(
            tx ->
                applications
                    .ownedElsewhere(tx, applicationSet, names)
                    .compose(
                        taken -> {
                          GenerationPlan mine = plan.withoutOwnedElsewhere(taken);
                          Future<Void> f = Future.succeededFuture();
                          for (StoredApplication a : mine.upserts()) {
                            f = f.compose(v -> applications.upsert(tx, a).mapEmpty());
                          }
                          for (String d : mine.deletes()) {
                            f =
                                f.compose(
                                    v -> applications.delete(tx, d, applicationSet).mapEmpty());
                          }
                          return f.map(mine);
                        }));
  }
}
