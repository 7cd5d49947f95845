package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.appset.plan.GenerationPlanner;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The server's applicationsSync policy and whether an ApplicationSet may override it, as Argo CD
 * configures them ({@code --policy}, {@code --enable-policy-override}).
 */
record ApplicationsSyncSettings(String serverPolicy, boolean allowPolicyOverride) {

  /**
   * The policy in force for {@code document}: its own when overriding is allowed and it sets one,
   * else the server's, else {@code sync}.
   */
  String effectivePolicy(JsonObject document) {
    String own = ownPolicy(document);
    if (allowPolicyOverride && own != null && !own.isEmpty()) {
      return own;
    }
    return serverPolicy != null ? serverPolicy : "sync";
  }

  /** Why the policy {@code document} sets is refused, if it is. */
  static Optional<String> invalidOwnPolicy(JsonObject document) {
    String own = ownPolicy(document);
    if (own == null || GenerationPlanner.POLICIES.contains(own)) {
      return Optional.empty();
    }
    return Optional.of(
        "spec.syncPolicy.applicationsSync: '"
            + own
            + "' is not one of create-only, create-update, create-delete, sync");
  }

  static boolean preserveResourcesOnDeletion(JsonObject document) {
    return syncPolicy(document).getBoolean("preserveResourcesOnDeletion", false);
  }

  static boolean allowsEmptyGeneration(JsonObject document) {
    return "true"
        .equals(
            document
                .getJsonObject("metadata", new JsonObject())
                .getJsonObject("annotations", new JsonObject())
                .getString(GenerationPlanner.ALLOW_EMPTY_ANNOTATION));
  }

  private static String ownPolicy(JsonObject document) {
    return syncPolicy(document).getString("applicationsSync");
  }

  private static JsonObject syncPolicy(JsonObject document) {
    return document
        .getJsonObject("spec", new JsonObject())
        .getJsonObject("syncPolicy", new JsonObject());
  }
}
