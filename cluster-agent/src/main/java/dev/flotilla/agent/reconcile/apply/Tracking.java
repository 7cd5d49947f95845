package dev.flotilla.agent.reconcile.apply;

import dev.flotilla.core.digest.Digests;
import java.util.regex.Pattern;

/**
 * How the agent marks what it manages.
 *
 * <ul>
 *   <li>{@value #TRACKING_ID} — {@code <app>:<group>/<kind>:<namespace>/<name>}, Argo CD's
 *       annotation-tracking format: names the owning Application and the identity the object had
 *       when applied, so a copied object is not mistaken for ours. The authority on ownership.
 *   <li>{@value #LAST_APPLIED} — the desired object as last applied (compact JSON), the "base" of
 *       the three-way merge: a field in it but no longer desired is removed from the live object.
 *   <li>{@value #MANAGED_BY_LABEL}={@value #MANAGED_BY_VALUE} — one equality selector for the drift
 *       watcher's informers over every Application.
 *   <li>{@value #APP_LABEL} — the Application's name (or a hash when the name is not a valid label
 *       value), so prune lists one Application's objects without reading everybody's.
 * </ul>
 */
public final class Tracking {

  public static final String TRACKING_ID = "flotilla.dev/tracking-id";
  public static final String LAST_APPLIED = "flotilla.dev/last-applied";
  public static final String MANAGED_BY_LABEL = "flotilla.dev/managed-by";
  public static final String MANAGED_BY_VALUE = "flotilla";
  public static final String APP_LABEL = "flotilla.dev/app";

  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private Tracking() {}

  public static String trackingId(String app, ObjectKey key) {
    return app + ":" + key.group() + "/" + key.kind() + ":" + key.namespace() + "/" + key.name();
  }

  /** The Application named in a tracking id, or null when there is none. */
  public static String owner(String trackingId) {
    if (trackingId == null) {
      return null;
    }
    int colon = trackingId.indexOf(':');
    return colon <= 0 ? null : trackingId.substring(0, colon);
  }

  /** The value of {@link #APP_LABEL} for an Application. */
  public static String appLabelValue(String app) {
    if (app.length() <= 63 && LABEL_VALUE.matcher(app).matches()) {
      return app;
    }
    return "h-" + Digests.sha256Hex(app, 20);
  }
}
