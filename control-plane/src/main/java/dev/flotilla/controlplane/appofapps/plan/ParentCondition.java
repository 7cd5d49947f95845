package dev.flotilla.controlplane.appofapps.plan;

/**
 * Something about a parent's children that people must see, shown with the parent.
 *
 * @param type {@value #RENDER_ERROR}, {@value #CHILD_REFUSED} or {@value #PRUNE_HELD_BACK}
 */
public record ParentCondition(String type, String message) {

  /** The parent's manifests could not be read: nothing was changed. */
  public static final String RENDER_ERROR = "RenderError";

  /** One child was refused (project, ownership, invalid document); the others proceeded. */
  public static final String CHILD_REFUSED = "ChildRefused";

  /** Children gone from Git were kept (no prune, errors, or all at once without allow-empty). */
  public static final String PRUNE_HELD_BACK = "PruneHeldBack";
}
