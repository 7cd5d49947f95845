package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An App of Apps parent's children and conditions, as {@code flotilla app get} shows them. */
final class AppOfAppsOutput {

  private AppOfAppsOutput() {}

  /** Adds the parent's children and conditions ({@code GET .../children}) to its JSON. */
  static void addChildren(ApiClient client, String name, JsonObject application)
      throws CliException {
    JsonObject children = client.get(ApiClient.path("applications", name, "children"));
    application.put("children", children.getJsonArray("children", new JsonArray()));
    application.put("appOfAppsConditions", children.getJsonArray("conditions", new JsonArray()));
  }

  /** Prints the children and conditions, when there are any. */
  static void describe(JsonObject application) {
    JsonArray children = application.getJsonArray("children", new JsonArray());
    JsonArray conditions = application.getJsonArray("appOfAppsConditions", new JsonArray());
    if (children.isEmpty() && conditions.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.println("Children (App of Apps):");
    Table table = new Table("KIND", "NAME");
    for (int i = 0; i < children.size(); i++) {
      JsonObject c = children.getJsonObject(i);
      table.row(c.getString("kind"), c.getString("name"));
    }
    table.print(System.out);
    for (int i = 0; i < conditions.size(); i++) {
      JsonObject c = conditions.getJsonObject(i);
      System.out.println("  " + c.getString("type") + ": " + c.getString("message"));
    }
  }
}
