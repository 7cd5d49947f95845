package dev.flotilla.simulator.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A resource path of the Kubernetes REST API, split into its parts: {@code
 * /apis/apps/v1/namespaces/web/deployments/front/scale} is group apps, version v1, namespace web,
 * resource deployments, name front, subresource scale. Discovery and other paths are not targets.
 *
 * @param namespace null on a cluster-wide path
 * @param name null for a collection
 * @param subresource null for the object itself
 */
record RequestTarget(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource) {

  /** The target of a path, or null when it is not a resource path (discovery, /version...). */
  static RequestTarget parse(List<String> segments) {
    String group;
    String version;
    List<String> rest;
    if (segments.size() >= 3 && segments.get(0).equals("api")) {
      group = "";
      version = segments.get(1);
      rest = segments.subList(2, segments.size());
    } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      version = segments.get(2);
      rest = segments.subList(3, segments.size());
    } else {
      return null;
    }
    if (rest.get(0).equals("watch")) {
      throw ApiException.notFound(
          "the deprecated /watch/ paths are not simulated; use ?watch=true on the collection");
    }
    String namespace = null;
    // namespaces/{name}/status and /finalize are subresources of a Namespace, not a namespace scope
    if (rest.size() >= 3
        && rest.get(0).equals("namespaces")
        && !(rest.size() == 3 && List.of("status", "finalize").contains(rest.get(2)))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() > 3) {
      throw ApiException.notFound("the path /" + String.join("/", segments) + " is not simulated");
    }
    List<String> parts = new ArrayList<>(rest);
    while (parts.size() < 3) {
      parts.add(null);
    }
    return new RequestTarget(group, version, namespace, parts.get(0), parts.get(1), parts.get(2));
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
