package dev.flotilla.core.project;

/**
 * One entry of an AppProject resource white- or blacklist: {@code group}, {@code kind} and an
 * optional {@code name}, each a pattern ({@link ResourcePermissions#patternError}); empty strings
 * for absent fields.
 */
public record ResourceRule(String group, String kind, String name) {
  public ResourceRule {
    group = group == null ? "" : group;
    kind = kind == null ? "" : kind;
    name = name == null ? "" : name;
  }

  /** How the entry is written in an AppProject, for messages, e.g. {group: 'apps', kind: '*'}. */
  public String describe() {
    return "{group: '"
        + group
        + "', kind: '"
        + kind
        + "'"
        + (name.isEmpty() ? "" : ", name: '" + name + "'")
        + "}";
  }
}
