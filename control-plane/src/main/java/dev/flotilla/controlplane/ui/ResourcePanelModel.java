package dev.flotilla.controlplane.ui;

import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.ObjectEvent;
import dev.flotilla.proto.agent.v1.ObjectRef;
import java.util.List;

/**
 * The slide-out of one object of an Application: its tabs and the one shown. Shown alone (fetched
 * by the page script into the detail page's aside) or as a page of its own (without script).
 *
 * @param tab manifest, diff, events or logs
 * @param mayLogs whether the Logs tab is offered (a Pod, and {@code logs, get} allowed)
 * @param error what went wrong reading the tab (e.g. the agent is not connected), else ""
 * @param agentDown whether {@code error} is the agent being away
 * @param manifest the live object as YAML (Secrets masked by the agent)
 * @param diffNote why there is no diff to show, else ""
 */
public record ResourcePanelModel(
    PageChrome chrome,
    boolean fragment,
    String app,
    ObjectRef object,
    String tab,
    boolean mayLogs,
    String error,
    boolean agentDown,
    String manifest,
    List<DiffLine> diff,
    String diffNote,
    List<ObjectEvent> events,
    List<String> containers,
    String container,
    int tail,
    int moreTail,
    List<LogLine> logs) {

  public static final List<String> TABS = List.of("manifest", "diff", "events", "logs");

  /** This object's slide-out with {@code other} shown. */
  public String href(String other) {
    return ResourceTreeNode.of(
            object.getGroup(),
            object.getKind(),
            object.getNamespace(),
            object.getName(),
            "",
            "",
            "",
            false,
            false)
        .href(app, other);
  }

  public String title(String t) {
    return switch (t) {
      case "manifest" -> "Live manifest";
      case "diff" -> "Diff";
      case "events" -> "Events";
      default -> "Logs";
    };
  }

  /** The tabs this object has: Logs only for a Pod the caller may read the logs of. */
  public List<String> tabs() {
    return mayLogs ? TABS : TABS.subList(0, 3);
  }

  ResourcePanelModel failed(String message, boolean agentAway) {
    return shown(message, agentAway, "", List.of(), "", List.of(), containers, List.of());
  }

  ResourcePanelModel withManifest(String yaml) {
    return shown("", false, yaml, List.of(), "", List.of(), containers, List.of());
  }

  ResourcePanelModel withDiff(List<DiffLine> lines, String note) {
    return shown("", false, "", lines, note, List.of(), containers, List.of());
  }

  ResourcePanelModel withEvents(List<ObjectEvent> list) {
    return shown("", false, "", List.of(), "", list, containers, List.of());
  }

  ResourcePanelModel withLogs(List<String> names, List<LogLine> lines) {
    return shown("", false, "", List.of(), "", List.of(), names, lines);
  }

  /** The same object, tab and log options, showing only what is given (one tab's content). */
  private ResourcePanelModel shown(
      String failure,
      boolean agentAway,
      String yaml,
      List<DiffLine> lines,
      String note,
      List<ObjectEvent> list,
      List<String> names,
      List<LogLine> logLines) {
    return new ResourcePanelModel(
        chrome, fragment, app, object, tab, mayLogs, failure, agentAway, yaml, lines, note, list,
        names, container, tail, moreTail, logLines);
  }
}
