package dev.flotilla.e2e;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.testkit.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openqa.selenium.Cookie;

/**
 * The Application page with a big resource tree, run by hand (see BENCHMARKS.md): one Application
 * gets a synthetic tree of {@code deployments × (2 + pods)} nodes written straight into the
 * resource_tree table, then the page is fetched over HTTP (server render time and HTML size) and
 * opened in headless Chromium (first contentful paint, and the time to expand every group and
 * family and lay the page out again). Not a test: timings depend on the machine.
 *
 * <pre>mvn -B -o -q -pl cli -am -Dspotless.check.skip=true -DskipTests test-compile
 * then run dev.flotilla.e2e.WebUiTreeBenchmark with the cli test classpath [deployments] [pods]
 * [runs]</pre>
 */
public final class WebUiTreeBenchmark {

  private WebUiTreeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int deployments = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 48;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    Browser.assumeInstalled();
    Path home = Files.createTempDirectory("flotilla-ui-tree-bench");
    try (ControlPlane cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            Database.of(TestPostgres.fresh()))) {
      int nodes = fill(cp, deployments, pods);
      String base = "http://127.0.0.1:" + cp.httpPort();
      System.out.printf(
          "tree: %d nodes (%d Deployments, %d ReplicaSets, %d Pods); load average %s%n",
          nodes, deployments, deployments, deployments * pods, loadAverage());
      try (Browser browser = new Browser(base)) {
        browser.open("/applications/big").login(cp.adminToken().value());
        Cookie session = browser.driver().manage().getCookieNamed("flotilla_session");
        serverRender(base, session, runs);
        List<Double> paints = new ArrayList<>();
        List<Double> expands = new ArrayList<>();
        for (int i = 0; i < runs + 1; i++) {
          browser.open("/applications/big");
          @SuppressWarnings("unchecked")
          List<Object> t =
              (List<Object>)
                  browser
                      .driver()
                      .executeAsyncScript(
                          "var done = arguments[arguments.length - 1];"
                              + " function report(p) {"
                              + "  var n = performance.getEntriesByType('navigation')[0];"
                              + "  var t0 = performance.now();"
                              + "  var all = document.querySelectorAll('#tree details');"
                              + "  all.forEach(function (d) { d.open = true; });"
                              + "  var h = document.body.offsetHeight;"
                              + "  requestAnimationFrame(function () {"
                              + "   done([p, performance.now() - t0, all.length,"
                              + "    n.decodedBodySize, h]); }); }"
                              + " new PerformanceObserver(function (list) {"
                              + "  list.getEntries().forEach(function (e) {"
                              + "   if (e.name === 'first-contentful-paint') { report(e.startTime); }"
                              + "  }); }).observe({type: 'paint', buffered: true});"
                              + " setTimeout(function () { report(-1); }, 5000);");
          System.out.printf(
              "run %d: first-contentful-paint %.0f ms, expand all %s <details> %.0f ms, HTML %s"
                  + " bytes, page height %s px%s%n",
              i,
              num(t.get(0)),
              t.get(2),
              num(t.get(1)),
              t.get(3),
              t.get(4),
              i == 0 ? " (warm-up, not counted)" : "");
          if (i > 0) {
            paints.add(num(t.get(0)));
            expands.add(num(t.get(1)));
          }
        }
        browser.screenshot("benchmark-tree-" + nodes);
        System.out.printf(
            "median of %d runs: first-contentful-paint %.0f ms, expand all %.0f ms; load average"
                + " %s%n",
            runs, median(paints), median(expands), loadAverage());
      }
    }
  }

  /** Server time to answer the page (render included), over plain HTTP with the session. */
  private static void serverRender(String base, Cookie session, int runs) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<Double> times = new ArrayList<>();
    long size = 0;
    for (int i = 0; i < runs + 1; i++) {
      long start = System.nanoTime();
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/applications/big"))
                  .header("Cookie", session.getName() + "=" + session.getValue())
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      double ms = (System.nanoTime() - start) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /applications/big answered " + r.statusCode());
      }
      size = r.body().length;
      if (i > 0) {
        times.add(ms);
      }
    }
    System.out.printf(
        "server: median %.1f ms for the page (of %d runs), HTML %d bytes, %d gzipped%n",
        median(times), runs, size, gzipped(base, session));
  }

  private static long gzipped(String base, Cookie session) throws Exception {
    byte[] html =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/applications/big"))
                    .header("Cookie", session.getName() + "=" + session.getValue())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();
    var out = new java.io.ByteArrayOutputStream();
    try (var z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(html);
    }
    return out.size();
  }

  /** One Application, "big", whose agent reported Deployments → ReplicaSets → Pods. */
  private static int fill(ControlPlane cp, int deployments, int pods) {
    var pool = cp.applications().pool();
    Fleet.get(
        pool.query(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " VALUES ('big', 'default', 'c1', jsonb_build_object('spec',"
                    + " jsonb_build_object('source', jsonb_build_object('repoURL',"
                    + " 'https://git.example/big', 'path', 'apps/big', 'targetRevision',"
                    + " 'main'))), 1)")
            .execute());
    JsonArray resources = new JsonArray();
    JsonArray nodes = new JsonArray();
    for (int d = 0; d < deployments; d++) {
      String name = "web-" + d;
      resources.add(
          new JsonObject()
              .put("group", "apps")
              .put("kind", "Deployment")
              .put("namespace", "big")
              .put("name", name)
              .put("sync", d % 10 == 0 ? "OutOfSync" : "Synced")
              .put("health", "Healthy"));
      nodes.add(node("apps", "Deployment", name, "d" + d, null, true));
      nodes.add(node("apps", "ReplicaSet", name + "-5f7c9", "rs" + d, "d" + d, false));
      for (int p = 0; p < pods; p++) {
        nodes.add(node("", "Pod", name + "-5f7c9-" + p, "p" + d + "-" + p, "rs" + d, false));
      }
    }
    Fleet.get(
        pool.preparedQuery(
                "INSERT INTO application_status (application, generation, sync_status, health,"
                    + " revision, last_synced_at, resources) VALUES ('big', 1, 'OutOfSync',"
                    + " 'Healthy', md5('big'), now(), $1)")
            .execute(Tuple.of(resources)));
    Fleet.get(
        pool.preparedQuery(
                "INSERT INTO application_resource_tree (application, generation, observed_at,"
                    + " nodes, omitted) VALUES ('big', 1, now(), $1, 0)")
            .execute(Tuple.of(nodes)));
    return nodes.size();
  }

  private static JsonObject node(
      String group, String kind, String name, String uid, String owner, boolean managed) {
    return new JsonObject()
        .put("group", group)
        .put("version", "v1")
        .put("kind", kind)
        .put("namespace", "big")
        .put("name", name)
        .put("uid", uid)
        .put("parentUids", owner == null ? new JsonArray() : new JsonArray().add(owner))
        .put("health", "Healthy")
        .put("managed", managed);
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : -1;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
