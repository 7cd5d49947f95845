package dev.flotilla.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla app set NAME}, with {@code argocd app set}'s common flags: reads the
 * Application's spec, turns the flags into a JSON merge patch of its manifest and sends it, so the
 * server checks the result as any manifest. Lists that argocd merges ({@code --sync-option}, {@code
 * --helm-set}, {@code --kustomize-image}) are merged into the current ones here.
 */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = "Change fields of an Application created from a manifest (as argocd app set).")
final class ApplicationSetFieldsCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--revision", description = "Git revision (branch, tag, SHA) or chart version.")
  String revision;

  @Option(names = "--path", description = "Path in the repository of the app's manifests.")
  String path;

  @Option(names = "--repo", description = "Repository URL.")
  String repo;

  @Option(names = "--dest-server", description = "Destination cluster by API server URL.")
  String destServer;

  @Option(names = "--dest-name", description = "Destination cluster by name.")
  String destName;

  @Option(names = "--dest-namespace", description = "Destination namespace.")
  String destNamespace;

  @Option(names = "--project", description = "AppProject.")
  String project;

  @Option(
      names = "--sync-policy",
      paramLabel = "POLICY",
      description = "automated (or auto, automatic) or none.")
  String syncPolicy;

  @Option(
      names = "--self-heal",
      arity = "0..1",
      fallbackValue = "true",
      description = "Revert changes made in the cluster (automated sync).")
  Boolean selfHeal;

  @Option(
      names = "--auto-prune",
      arity = "0..1",
      fallbackValue = "true",
      description = "Delete resources no longer in Git (automated sync).")
  Boolean autoPrune;

  @Option(
      names = "--sync-option",
      paramLabel = "OPTION",
      description = "Add a sync option, e.g. CreateNamespace=true; !OPTION removes it. Repeatable.")
  List<String> syncOptions = List.of();

  @Option(names = "--values", paramLabel = "FILE", description = "Helm value files. Repeatable.")
  List<String> values = List.of();

  @Option(
      names = "--helm-set",
      paramLabel = "NAME=VALUE",
      description = "A Helm parameter. Repeatable.")
  List<String> helmSet = List.of();

  @Option(
      names = "--kustomize-image",
      paramLabel = "IMAGE",
      description = "A Kustomize image override, e.g. nginx=nginx:1.27. Repeatable.")
  List<String> kustomizeImages = List.of();

  @Override
  void run(ApiClient client) throws CliException {
    JsonObject current =
        client.get(ApiClient.path("applications", name)).getJsonObject("spec", new JsonObject());
    JsonObject patch = patch(current);
    if (patch.isEmpty()) {
      throw new CliException("nothing to set: give at least one flag (see --help)");
    }
    JsonObject r =
        client.patch(
            ApiClient.path("applications", name), new JsonObject().put("spec", patch).encode());
    System.out.println("application '" + Table.escape(name) + "' " + r.getString("result"));
  }

  /** The merge patch of {@code spec} the flags ask for. */
  JsonObject patch(JsonObject current) throws CliException {
    JsonObject spec = new JsonObject();
    JsonObject source = new JsonObject();
    put(source, "targetRevision", revision);
    put(source, "path", path);
    put(source, "repoURL", repo);
    if (!values.isEmpty() || !helmSet.isEmpty()) {
      JsonObject helm = currentSource(current).getJsonObject("helm", new JsonObject());
      JsonObject helmPatch = new JsonObject();
      if (!values.isEmpty()) {
        helmPatch.put("valueFiles", new JsonArray(values));
      }
      if (!helmSet.isEmpty()) {
        helmPatch.put("parameters", helmParameters(helm.getJsonArray("parameters")));
      }
      source.put("helm", helmPatch);
    }
    if (!kustomizeImages.isEmpty()) {
      JsonObject kustomize = currentSource(current).getJsonObject("kustomize", new JsonObject());
      source.put(
          "kustomize", new JsonObject().put("images", images(kustomize.getJsonArray("images"))));
    }
    if (!source.isEmpty()) {
      if (current.getJsonObject("source") == null && current.getJsonArray("sources") != null) {
        throw new CliException(
            "application '"
                + name
                + "' has several sources: change them in its manifest and `flotilla app apply`"
                + " it");
      }
      spec.put("source", source);
    }
    JsonObject destination = new JsonObject();
    if (destServer != null && destName != null) {
      throw new CliException("give --dest-server or --dest-name, not both");
    }
    if (destServer != null) {
      destination.put("server", destServer).putNull("name");
    }
    if (destName != null) {
      destination.put("name", destName).putNull("server");
    }
    put(destination, "namespace", destNamespace);
    if (!destination.isEmpty()) {
      spec.put("destination", destination);
    }
    put(spec, "project", project);
    JsonObject policy = syncPolicy(current.getJsonObject("syncPolicy", new JsonObject()));
    if (!policy.isEmpty()) {
      spec.put("syncPolicy", policy);
    }
    return spec;
  }

  private JsonObject syncPolicy(JsonObject current) throws CliException {
    JsonObject policy = new JsonObject();
    JsonObject automated = new JsonObject();
    if (syncPolicy != null) {
      switch (syncPolicy.toLowerCase(Locale.ROOT)) {
        case "automated", "auto", "automatic" -> {
          if (current.getJsonObject("automated") == null) {
            policy.put("automated", automated);
          }
        }
        case "none" -> policy.putNull("automated");
        default ->
            throw new CliException(
                "--sync-policy: must be automated or none, got '" + syncPolicy + "'");
      }
    }
    boolean off = syncPolicy != null && syncPolicy.equalsIgnoreCase("none");
    if ((selfHeal != null || autoPrune != null) && !off) {
      if (current.getJsonObject("automated") == null && syncPolicy == null) {
        throw new CliException(
            "--self-heal and --auto-prune apply to automated sync: add --sync-policy automated");
      }
      if (selfHeal != null) {
        automated.put("selfHeal", selfHeal);
      }
      if (autoPrune != null) {
        automated.put("prune", autoPrune);
      }
      policy.put("automated", automated);
    }
    if (!syncOptions.isEmpty()) {
      JsonArray options = current.getJsonArray("syncOptions", new JsonArray()).copy();
      for (String option : syncOptions) {
        if (option.startsWith("!")) {
          options.remove(option.substring(1));
        } else if (!options.contains(option)) {
          options.add(option);
        }
      }
      policy.put("syncOptions", options);
    }
    return policy;
  }

  /** The current Helm parameters with those of {@code --helm-set} replacing same names. */
  private JsonArray helmParameters(JsonArray current) throws CliException {
    JsonArray parameters = current == null ? new JsonArray() : current.copy();
    for (String set : helmSet) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new CliException("--helm-set: expected NAME=VALUE, got '" + set + "'");
      }
      String key = set.substring(0, eq);
      JsonObject parameter = new JsonObject().put("name", key).put("value", set.substring(eq + 1));
      boolean replaced = false;
      for (int i = 0; i < parameters.size(); i++) {
        if (key.equals(parameters.getJsonObject(i).getString("name"))) {
          parameters.set(i, parameter);
          replaced = true;
        }
      }
      if (!replaced) {
        parameters.add(parameter);
      }
    }
    return parameters;
  }

  /** The current Kustomize images with those of {@code --kustomize-image} replacing same images. */
  private JsonArray images(JsonArray current) {
    JsonArray images = current == null ? new JsonArray() : current.copy();
    for (String image : kustomizeImages) {
      String key = imageName(image);
      boolean replaced = false;
      for (int i = 0; i < images.size(); i++) {
        if (key.equals(imageName(images.getString(i)))) {
          images.set(i, image);
          replaced = true;
        }
      }
      if (!replaced) {
        images.add(image);
      }
    }
    return images;
  }

  /** The image an override is for: before '=', else before the tag or digest. */
  static String imageName(String override) {
    int eq = override.indexOf('=');
    if (eq >= 0) {
      return override.substring(0, eq);
    }
    int at = override.indexOf('@');
    String name = at >= 0 ? override.substring(0, at) : override;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  private static JsonObject currentSource(JsonObject spec) {
    return spec.getJsonObject("source", new JsonObject());
  }

  private static void put(JsonObject object, String field, String value) {
    if (value != null) {
      object.put(field, value);
    }
  }
}
