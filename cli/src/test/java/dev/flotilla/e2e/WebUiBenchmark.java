package dev.flotilla.e2e;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The web UI's page weight and first paint on a fleet of 10,000 Applications, run by hand (see
 * BENCHMARKS.md): a control plane on embedded Postgres is filled with Applications and statuses in
 * SQL, then headless Chromium opens the Applications list several times and reads the Paint Timing
 * and Navigation Timing APIs. Not a test: timings depend on the machine.
 *
 * <pre>mvn -B -o -q -pl cli -am -Dspotless.check.skip=true -DskipTests test-compile
 * then run dev.flotilla.e2e.WebUiBenchmark with the cli test classpath [apps] [runs]</pre>
 */
public final class WebUiBenchmark {

  private WebUiBenchmark() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    Browser.assumeInstalled();
    var home = Files.createTempDirectory("flotilla-ui-bench");
    try (ControlPlane cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            Database.of(TestPostgres.fresh()))) {
      fill(cp, apps);
      String base = "http://127.0.0.1:" + cp.httpPort();
      System.out.printf("fleet: %d Applications; load average %s%n", apps, loadAverage());
      assetSizes(base);
      try (Browser browser = new Browser(base)) {
        browser.open("/applications").login(cp.adminToken().value());
        List<Double> paints = new ArrayList<>();
        List<Double> responses = new ArrayList<>();
        for (int i = 0; i < runs + 1; i++) {
          browser.open("/applications");
          // The paint entry can land after the load event that ends driver.get: wait for it
          // (buffered, so one recorded before the observer counts), at most 5 s.
          @SuppressWarnings("unchecked")
          List<Object> t =
              (List<Object>)
                  browser
                      .driver()
                      .executeAsyncScript(
                          "var done = arguments[arguments.length - 1];"
                              + " function report(p) {"
                              + "  var n = performance.getEntriesByType('navigation')[0];"
                              + "  done([p, n.responseStart, n.responseEnd,"
                              + "   n.domContentLoadedEventEnd, n.loadEventEnd, n.encodedBodySize]); }"
                              + " new PerformanceObserver(function (list) {"
                              + "  list.getEntries().forEach(function (e) {"
                              + "   if (e.name === 'first-contentful-paint') { report(e.startTime); }"
                              + "  }); }).observe({type: 'paint', buffered: true});"
                              + " setTimeout(function () { report(-1); }, 5000);");
          System.out.printf(
              "run %d: first-contentful-paint %.0f ms, first byte %.0f ms, response end %.0f ms,"
                  + " DOMContentLoaded %.0f ms, load %.0f ms, HTML %s bytes%s%n",
              i,
              num(t.get(0)),
              num(t.get(1)),
              num(t.get(2)),
              num(t.get(3)),
              num(t.get(4)),
              t.get(5),
              i == 0 ? " (warm-up, not counted)" : "");
          if (i > 0) {
            paints.add(num(t.get(0)));
            responses.add(num(t.get(1)));
          }
        }
        browser.screenshot("benchmark-applications-" + apps);
        System.out.printf(
            "median of %d runs: first-contentful-paint %.0f ms (first byte %.0f ms); load average"
                + " %s%n",
            runs, median(paints), median(responses), loadAverage());
      }
    }
  }

  /** Applications over 20 projects and 50 clusters, one in ten OutOfSync, mixed health. */
  private static void fill(ControlPlane cp, int apps) {
    var pool = cp.applications().pool();
    Fleet.get(
        pool.query(
                ("INSERT INTO applications (name, project, cluster, document, generation)"
                        + " SELECT 'app-' || lpad(i::text, 5, '0'), 'team-' || (i %% 20),"
                        + " 'cluster-' || (i %% 50), jsonb_build_object('spec',"
                        + " jsonb_build_object('source', jsonb_build_object('repoURL',"
                        + " 'https://git.example/team-' || (i %% 20), 'path', 'apps/' || i,"
                        + " 'targetRevision', 'main'))), 1 FROM generate_series(1, %d) i")
                    .formatted(apps))
            .execute());
    Fleet.get(
        pool.query(
                ("INSERT INTO application_status (application, generation, sync_status, health,"
                        + " revision, last_synced_at) SELECT 'app-' || lpad(i::text, 5, '0'), 1,"
                        + " CASE WHEN i %% 10 = 0 THEN 'OutOfSync' ELSE 'Synced' END,"
                        + " CASE i %% 7 WHEN 0 THEN 'Progressing' WHEN 1 THEN 'Degraded'"
                        + " ELSE 'Healthy' END, md5(i::text) || 'abcdef01',"
                        + " now() - i * interval '1 minute' FROM generate_series(1, %d) i")
                    .formatted(apps))
            .execute());
  }

  /** What the server sends for the page's script and style sheet, and the same gzipped. */
  private static void assetSizes(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long raw = 0;
    long served = 0;
    long gzipped = 0;
    for (String asset : new String[] {"/ui/static/app.js", "/ui/static/app.css"}) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + asset))
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      boolean compressed =
          r.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase).orElse(false);
      served += r.body().length;
      byte[] plain = compressed ? gunzip(r.body()) : r.body();
      raw += plain.length;
      gzipped += gzip(plain).length;
      System.out.printf(
          "%s: %d bytes, served %d bytes (%s), %d gzipped%n",
          asset,
          plain.length,
          r.body().length,
          compressed ? "gzip" : "identity",
          gzip(plain).length);
    }
    System.out.printf(
        "initial JS+CSS: %d bytes, %d served, %d gzipped (budget 153600)%n", raw, served, gzipped);
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] data) throws Exception {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      return in.readAllBytes();
    }
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
      return Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
