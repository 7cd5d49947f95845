package dev.flotilla.controlplane.appofapps;

import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.appofapps.plan.ChildKey;
import dev.flotilla.controlplane.appofapps.plan.ChildKind;
import dev.flotilla.controlplane.appofapps.plan.ExistingChild;
import dev.flotilla.controlplane.appofapps.plan.ParentCondition;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which parent owns which child, and what the control plane last read from each parent. */
public final class AppOfAppsRepository {

  /** An Application as a possible parent: what its manifests are read from. */
  record ParentRow(
      String name, String project, JsonObject document, String revision, long generation) {}

  /** What the control plane last read from a parent, as shown with it. */
  public record ParentStatus(
      String renderKey,
      List<ChildKey> children,
      Map<ChildKey, String> declared,
      JsonArray conditions) {}

  private final Pool pool;
  private final ApplicationRepository applications;

  public AppOfAppsRepository(ApplicationRepository applications) {
    this.pool = applications.pool();
    this.applications = applications;
  }

  /** Every Application's generation: a cheap read that shows which changed since last seen. */
  Future<Map<String, Long>> generations() {
    return pool.query("SELECT name, generation FROM applications")
        .execute()
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
              return out;
            });
  }

  /** The Applications that have declared children or App of Apps conditions before. */
  Future<Set<String>> knownParents() {
    return pool.query("SELECT application FROM app_of_apps_status")
        .execute()
        .map(
            rows -> {
              Set<String> out = new HashSet<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  Future<List<ParentRow>> parents(Collection<String> names) {
    return pool.preparedQuery(
            "SELECT name, project, document, revision, generation FROM applications"
                + " WHERE name = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(names.toArray(String[]::new)))
        .map(
            rows -> {
              List<ParentRow> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new ParentRow(
                              r.getString(0),
                              r.getString(1),
                              (JsonObject) r.getValue(2),
                              r.getString(3),
                              r.getLong(4))));
              return out;
            });
  }

  /** The children {@code parent} owns now, each with the digest of its last declaration. */
  Future<List<ExistingChild>> owned(String parent) {
    return pool.preparedQuery(
            "SELECT 'Application', name FROM applications WHERE parent_application = $1"
                + " UNION ALL SELECT 'ApplicationSet', name FROM application_sets"
                + " WHERE parent_application = $1"
                + " UNION ALL SELECT 'AppProject', name FROM app_projects"
                + " WHERE parent_application = $1")
        .execute(Tuple.of(parent))
        .compose(
            rows ->
                status(parent)
                    .map(
                        status -> {
                          Map<ChildKey, String> declared =
                              status.map(ParentStatus::declared).orElse(Map.of());
                          List<ExistingChild> out = new ArrayList<>();
                          for (Row r : rows) {
                            ChildKey key =
                                new ChildKey(ChildKind.ofKind(r.getString(0)), r.getString(1));
                            out.add(new ExistingChild(key, declared.getOrDefault(key, "")));
                          }
                          return out;
                        }));
  }

  /**
   * For those of {@code keys} that exist and are not {@code parent}'s: who has them. The built-in
   * {@code default} project belongs to nobody but is never a child's to define.
   */
  Future<Map<ChildKey, String>> ownedElsewhere(String parent, Collection<ChildKey> keys) {
    Map<ChildKind, List<String>> byKind = new HashMap<>();
    keys.forEach(k -> byKind.computeIfAbsent(k.kind(), x -> new ArrayList<>()).add(k.name()));
    Map<ChildKey, String> out = new HashMap<>();
    if (byKind.getOrDefault(ChildKind.APP_PROJECT, List.of()).contains("default")) {
      out.put(new ChildKey(ChildKind.APP_PROJECT, "default"), "the built-in default project");
    }
    List<Future<Void>> reads = new ArrayList<>();
    byKind.forEach(
        (kind, names) ->
            reads.add(
                pool.preparedQuery(
                        "SELECT name, parent_application"
                            + (kind == ChildKind.APPLICATION ? ", application_set" : ", NULL")
                            + " FROM "
                            + table(kind)
                            + " WHERE name = ANY($1) AND parent_application IS DISTINCT FROM $2")
                    .execute(
                        Tuple.tuple()
                            .addArrayOfString(names.toArray(String[]::new))
                            .addString(parent))
                    .map(
                        rows -> {
                          synchronized (out) {
                            rows.forEach(
                                r -> out.put(new ChildKey(kind, r.getString(0)), ownerOf(r)));
                          }
                          return null;
                        })));
    return Future.all(reads).map(out);
  }

  private static String ownerOf(Row r) {
    if (r.getString(1) != null) {
      return "child of Application '" + r.getString(1) + "'";
    }
    if (r.getString(2) != null) {
      return "generated by ApplicationSet '" + r.getString(2) + "'";
    }
    return "not created by an App of Apps parent";
  }

  /** The parent that owns this object, if one does. */
  public Future<Optional<String>> parentOf(ChildKind kind, String name) {
    return pool.preparedQuery("SELECT parent_application FROM " + table(kind) + " WHERE name = $1")
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<String>empty()
                    : Optional.ofNullable(rows.iterator().next().getString(0)));
  }

  /**
   * Creates or replaces a child Application of {@code parent}, in one transaction that first checks
   * that nobody else has taken the name meanwhile.
   */
  Future<StoredApplication> upsertApplication(String parent, StoredApplication app) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "SELECT parent_application, application_set FROM applications"
                        + " WHERE name = $1 FOR UPDATE")
                .execute(Tuple.of(app.name()))
                .compose(
                    rows -> {
                      if (rows.size() > 0) {
                        Row r = rows.iterator().next();
                        if (!parent.equals(r.getString(0))) {
                          return Future.failedFuture(
                              new IllegalStateException(
                                  "Application '"
                                      + app.name()
                                      + "' exists and is "
                                      + ownerOf(
                                          Tuple.of(app.name(), r.getString(0), r.getString(1)))));
                        }
                      }
                      return applications.upsert(tx, app);
                    })
                .compose(
                    stored ->
                        tx.preparedQuery(
                                "UPDATE applications SET parent_application = $2 WHERE name = $1")
                            .execute(Tuple.of(app.name(), parent))
                            .map(stored)));
  }

  private static String ownerOf(Tuple t) {
    if (t.getString(1) != null) {
      return "child of Application '" + t.getString(1) + "'";
    }
    if (t.getString(2) != null) {
      return "generated by ApplicationSet '" + t.getString(2) + "'";
    }
    return "not created by an App of Apps parent";
  }

  /** Marks an ApplicationSet or AppProject just stored for {@code parent} as its child. */
  Future<Void> claim(ChildKind kind, String name, String parent) {
    return pool.preparedQuery(
            "UPDATE " + table(kind) + " SET parent_application = $2 WHERE name = $1")
        .execute(Tuple.of(name, parent))
        .mapEmpty();
  }

  /** Deletes a child Application of {@code parent}; returns its cluster when one was deleted. */
  Future<Optional<String>> deleteApplication(String parent, String name) {
    return pool.preparedQuery(
            "DELETE FROM applications WHERE name = $1 AND parent_application = $2"
                + " RETURNING COALESCE(cluster, '')")
        .execute(Tuple.of(name, parent))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<String>empty()
                    : Optional.of(rows.iterator().next().getString(0)));
  }

  /** Records what was read from {@code parent}: its render key, children and conditions. */
  Future<Void> saveStatus(
      String parent,
      String renderKey,
      List<ChildKey> children,
      Map<ChildKey, String> declared,
      List<ParentCondition> conditions) {
    JsonArray kids = new JsonArray();
    for (ChildKey k : children) {
      kids.add(
          new JsonObject()
              .put("kind", k.kind().kind())
              .put("name", k.name())
              .put("declared", declared.getOrDefault(k, "")));
    }
    JsonArray conds = new JsonArray();
    conditions.forEach(
        c -> conds.add(new JsonObject().put("type", c.type()).put("message", c.message())));
    return pool.preparedQuery(
            "INSERT INTO app_of_apps_status (application, render_key, children, conditions)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (application) DO UPDATE SET"
                + " render_key = EXCLUDED.render_key, children = EXCLUDED.children,"
                + " conditions = EXCLUDED.conditions, updated_at = now()")
        .execute(Tuple.of(parent, renderKey, kids, conds))
        .mapEmpty();
  }

  /** What the control plane last read from {@code parent}; empty when it never had children. */
  public Future<Optional<ParentStatus>> status(String parent) {
    return pool.preparedQuery(
            "SELECT render_key, children, conditions FROM app_of_apps_status WHERE application = $1")
        .execute(Tuple.of(parent))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              List<ChildKey> children = new ArrayList<>();
              Map<ChildKey, String> declared = new HashMap<>();
              for (Object o : (JsonArray) r.getValue(1)) {
                JsonObject c = (JsonObject) o;
                ChildKey key =
                    new ChildKey(ChildKind.ofKind(c.getString("kind")), c.getString("name"));
                children.add(key);
                declared.put(key, c.getString("declared", ""));
              }
              return Optional.of(
                  new ParentStatus(r.getString(0), children, declared, (JsonArray) r.getValue(2)));
            });
  }

  private static String table(ChildKind kind) {
    return switch (kind) {
      case APPLICATION -> "applications";
      case APPLICATION_SET -> "application_sets";
      case APP_PROJECT -> "app_projects";
    };
  }
}
