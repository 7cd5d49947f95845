package dev.flotilla.controlplane.appofapps.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what one evaluation of an App of Apps parent changes: desired children x owned children
 * gives creates, updates, prunes and refusals. Pure; the controller loads the inputs and carries
 * the plan out. The rules:
 *
 * <ul>
 *   <li>Keep on error: when the manifests cannot be read, nothing changes at all.
 *   <li>No escalation through Git: the parent's project must permit creating the child's kind
 *       (group {@code argoproj.io}; Application and ApplicationSet are namespaced, AppProject is
 *       cluster-scoped), and a child Application or ApplicationSet may name only the parent's
 *       project or a project this same parent declares. An AppProject child may create a new
 *       project or change one this parent created, never one that exists otherwise ({@code default}
 *       included).
 *   <li>Names are global: a child whose name another owner (an ApplicationSet, another parent,
 *       somebody by hand) already has is refused, and so is a child Application named as its
 *       parent.
 *   <li>A refused child becomes a condition; the other children proceed, but nothing is pruned.
 *   <li>Prune only when the parent prunes, and never every child at once unless the parent allows
 *       empty explicitly.
 * </ul>
 */
public final class AppOfAppsPlanner {

  private static final Comparator<DesiredChild> CREATE_ORDER =
      Comparator.comparing(c -> c.key().kind());

  private AppOfAppsPlanner() {}

  public static AppOfAppsPlan plan(AppOfAppsInputs in) {
    Set<ChildKey> owned = new TreeSet<>();
    Map<ChildKey, ExistingChild> existing = new HashMap<>();
    for (ExistingChild e : in.owned()) {
      owned.add(e.key());
      existing.put(e.key(), e);
    }
    if (in.renderError().isPresent()) {
      return new AppOfAppsPlan(
          List.of(),
          List.of(),
          List.of(),
          List.copyOf(owned),
          List.copyOf(owned),
          List.of(
              new ParentCondition(
                  ParentCondition.RENDER_ERROR,
                  in.renderError().get() + "; no child was changed")));
    }
    List<ParentCondition> conditions = new ArrayList<>();
    Map<ChildKey, DesiredChild> unique = withoutDuplicates(in.desired(), conditions);
    Set<String> declaredProjects = new HashSet<>();
    List<DesiredChild> accepted = new ArrayList<>();
    Set<ChildKey> refused = new TreeSet<>();
    // Projects first: a child may name a project its parent declares in the same commit.
    List<DesiredChild> ordered = new ArrayList<>(unique.values());
    ordered.sort(CREATE_ORDER);
    for (DesiredChild child : ordered) {
      Optional<String> refusal = refusal(in, child, declaredProjects);
      if (refusal.isPresent()) {
        refused.add(child.key());
        conditions.add(
            new ParentCondition(ParentCondition.CHILD_REFUSED, child.key() + ": " + refusal.get()));
        continue;
      }
      if (child.key().kind() == ChildKind.APP_PROJECT) {
        declaredProjects.add(child.key().name());
      }
      accepted.add(child);
    }
    refused.addAll(duplicateKeys(in.desired()));

    List<DesiredChild> creates = new ArrayList<>();
    List<DesiredChild> updates = new ArrayList<>();
    for (DesiredChild child : accepted) {
      ExistingChild before = existing.get(child.key());
      if (before == null) {
        creates.add(child);
      } else if (!before.declared().equals(child.digest())) {
        updates.add(child);
      }
    }

    Set<ChildKey> declared = new TreeSet<>(unique.keySet());
    declared.addAll(refused);
    List<ChildKey> gone = owned.stream().filter(k -> !declared.contains(k)).toList();
    List<ChildKey> prunes = new ArrayList<>();
    List<ChildKey> kept = new ArrayList<>();
    if (!gone.isEmpty()) {
      Optional<String> keep = whyKeep(in, gone.size(), !refused.isEmpty());
      if (keep.isPresent()) {
        kept.addAll(gone);
        conditions.add(new ParentCondition(ParentCondition.PRUNE_HELD_BACK, keep.get()));
      } else {
        prunes.addAll(gone);
        // Applications first, projects last: a project in use cannot be deleted.
        prunes.sort(Comparator.comparing(ChildKey::kind).reversed().thenComparing(ChildKey::name));
      }
    }

    Set<ChildKey> children = new TreeSet<>(owned);
    children.removeAll(prunes);
    accepted.forEach(c -> children.add(c.key()));
    return new AppOfAppsPlan(creates, updates, prunes, kept, List.copyOf(children), conditions);
  }

  /** The desired children by key, each key once; a key declared twice is refused. */
  private static Map<ChildKey, DesiredChild> withoutDuplicates(
      List<DesiredChild> desired, List<ParentCondition> conditions) {
    Set<ChildKey> duplicates = duplicateKeys(desired);
    Map<ChildKey, DesiredChild> unique = new LinkedHashMap<>();
    for (DesiredChild c : desired) {
      if (!duplicates.contains(c.key())) {
        unique.put(c.key(), c);
      }
    }
    for (ChildKey k : duplicates) {
      conditions.add(
          new ParentCondition(
              ParentCondition.CHILD_REFUSED,
              k + ": declared more than once in the parent's manifests"));
    }
    return unique;
  }

  private static Set<ChildKey> duplicateKeys(List<DesiredChild> desired) {
    Set<ChildKey> seen = new HashSet<>();
    Set<ChildKey> duplicates = new TreeSet<>();
    for (DesiredChild c : desired) {
      if (!seen.add(c.key())) {
        duplicates.add(c.key());
      }
    }
    return duplicates;
  }

  private static Optional<String> refusal(
      AppOfAppsInputs in, DesiredChild child, Set<String> declaredProjects) {
    if (child.invalid() != null) {
      return Optional.of(child.invalid());
    }
    ChildKey key = child.key();
    if (key.kind() == ChildKind.APPLICATION && key.name().equals(in.parent())) {
      return Optional.of("an Application cannot be its own child");
    }
    Optional<String> forbidden = in.permissions().violation(key.kind());
    if (forbidden.isPresent()) {
      return forbidden;
    }
    String owner = in.ownedElsewhere().get(key);
    if (owner != null) {
      return Optional.of(
          "the name is taken ("
              + owner
              + "); a parent creates new objects or changes its own, never another owner's");
    }
    for (String project : new TreeSet<>(child.projects())) {
      if (!project.equals(in.parentProject()) && !declaredProjects.contains(project)) {
        return Optional.of(
            "names project '"
                + project
                + "', but a child may name only its parent's project ('"
                + in.parentProject()
                + "') or a project the same parent declares");
      }
    }
    return Optional.empty();
  }

  /** Why the owned children gone from Git are kept, or empty to prune them. */
  private static Optional<String> whyKeep(AppOfAppsInputs in, int gone, boolean refusals) {
    String what = gone + " child(ren) no longer in the parent's manifests";
    if (refusals) {
      return Optional.of(what + " kept: some children were refused, so nothing is pruned");
    }
    if (!in.prune()) {
      return Optional.of(
          what
              + " kept until the parent prunes (syncPolicy.automated.prune, or a sync with"
              + " prune)");
    }
    // As for ApplicationSets: manifests that suddenly declare nothing are more likely a mistake.
    if (in.desired().isEmpty() && !in.allowEmpty()) {
      return Optional.of(
          what
              + " kept: the manifests declare no child, and pruning would delete every child at"
              + " once (set"
              + " syncPolicy.automated.allowEmpty: true, or annotate the parent "
              + AppOfAppsAllowEmpty.ANNOTATION
              + "=\"true\", to allow it)");
    }
    return Optional.empty();
  }
}
