package dev.flotilla.controlplane.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One object of an Application's resource tree as the detail page shows it, with the objects it
 * owns (found through their ownerReferences).
 *
 * @param sync the sync status of an object from Git ({@code ""} for a child the cluster made)
 * @param orphan a child whose owner is not in the tree (left out by the agent's cap, or gone)
 */
public record ResourceTreeNode(
    String group,
    String kind,
    String namespace,
    String name,
    String health,
    String healthMessage,
    String sync,
    boolean managed,
    boolean orphan,
    List<ResourceTreeNode> children) {

  /** kubectl's short names where users know them; else the capitals of the kind ("np"). */
  private static final Map<String, String> SHORT =
      Map.ofEntries(
          Map.entry("Deployment", "deploy"),
          Map.entry("ReplicaSet", "rs"),
          Map.entry("Pod", "pod"),
          Map.entry("Service", "svc"),
          Map.entry("ConfigMap", "cm"),
          Map.entry("Secret", "secret"),
          Map.entry("EndpointSlice", "eps"),
          Map.entry("Endpoints", "ep"),
          Map.entry("Job", "job"),
          Map.entry("CronJob", "cj"),
          Map.entry("StatefulSet", "sts"),
          Map.entry("DaemonSet", "ds"),
          Map.entry("Ingress", "ing"),
          Map.entry("Namespace", "ns"),
          Map.entry("ServiceAccount", "sa"),
          Map.entry("PersistentVolumeClaim", "pvc"),
          Map.entry("HorizontalPodAutoscaler", "hpa"),
          Map.entry("Application", "app"));

  /** The short text in the object's kind glyph. */
  public static String icon(String kind) {
    String known = SHORT.get(kind);
    if (known != null) {
      return known;
    }
    StringBuilder capitals = new StringBuilder();
    kind.chars().filter(Character::isUpperCase).limit(4).forEach(capitals::appendCodePoint);
    String out = capitals.length() > 0 ? capitals.toString() : kind;
    return out.toLowerCase(Locale.ROOT).substring(0, Math.min(4, out.length()));
  }

  public String icon() {
    return icon(kind);
  }

  /** What the quick filter matches: kind and name, lower case. */
  public String search() {
    return (kind + " " + name).toLowerCase(Locale.ROOT);
  }

  /** The slide-out's address for this object on {@code application}'s page. */
  public String href(String application, String tab) {
    return "/applications/"
        + UiText.urlEncode(application)
        + "/resource?group="
        + UiText.urlEncode(group)
        + "&kind="
        + UiText.urlEncode(kind)
        + "&namespace="
        + UiText.urlEncode(namespace)
        + "&name="
        + UiText.urlEncode(name)
        + "&tab="
        + tab;
  }

  /** Whether its children start open: big families start closed, showing how many they are. */
  public boolean open() {
    return children.size() <= ResourceTreeModel.OPEN_UP_TO;
  }

  static ResourceTreeNode of(
      String group,
      String kind,
      String namespace,
      String name,
      String health,
      String healthMessage,
      String sync,
      boolean managed,
      boolean orphan) {
    return new ResourceTreeNode(
        group,
        kind,
        namespace,
        name,
        health,
        healthMessage,
        sync,
        managed,
        orphan,
        new ArrayList<>());
  }
}
