package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.rest.Http;
import dev.flotilla.controlplane.rest.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** REST for the global RBAC policy over {@link PolicyService}. */
public final class PolicyRoutes implements Routes {

  private final PolicyService policies;

  public PolicyRoutes(PolicyService policies) {
    this.policies = policies;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/policy").handler(this::getPolicy);
    router.put("/api/v1/policy").handler(this::putPolicy);
  }

  private void getPolicy(RoutingContext ctx) {
    AccountRoutes.reply(
        ctx,
        policies.get(Callers.of(ctx)),
        p ->
            new JsonObject()
                .put("policy", p.text())
                .put("defaultRole", p.defaultRole())
                .put("updatedAt", p.updatedAt().toString())
                .put("updatedBy", p.updatedBy()),
        200);
  }

  /** {"policy": "p, ...\ng, ...", "defaultRole": "role:readonly"} (defaultRole optional). */
  private void putPolicy(RoutingContext ctx) {
    JsonObject body = Http.bodyJson(ctx);
    if (body == null) {
      return;
    }
    Future<StoredPolicy> replaced;
    try {
      String text = Http.string(body, "policy", null);
      String defaultRole = Http.string(body, "defaultRole", null);
      replaced = policies.replace(Callers.of(ctx), text, defaultRole);
    } catch (ApiException e) {
      Http.fail(ctx, e);
      return;
    }
    AccountRoutes.reply(
        ctx,
        replaced,
        p -> new JsonObject().put("updated", true).put("defaultRole", p.defaultRole()),
        200);
  }
}
