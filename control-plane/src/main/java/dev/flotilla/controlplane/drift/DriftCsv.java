package dev.flotilla.controlplane.drift;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The drift report as CSV (RFC 4180): a header row, then one row per differing field, so that a
 * spreadsheet can filter on paths. Cells that a spreadsheet would run as a formula are defused.
 */
public final class DriftCsv {

  static final List<String> HEADER =
      List.of(
          "cluster",
          "project",
          "application",
          "group",
          "kind",
          "namespace",
          "name",
          "change",
          "path",
          "desired",
          "live",
          "first_seen",
          "last_seen",
          "occurrences",
          "healed",
          "healed_at",
          "healed_by",
          "drift_kind",
          "recurrences");

  private static final String CRLF = "\r\n";

  private DriftCsv() {}

  public static String render(DriftReport report) {
    StringBuilder out = new StringBuilder(256 + report.items().size() * 256);
    row(out, HEADER);
    for (DriftedObject o : report.items()) {
      JsonArray fields = new JsonArray(o.fieldsJson());
      if (fields.isEmpty()) {
        row(out, cells(o, "", "", ""));
        continue;
      }
      for (Object f : fields) {
        JsonObject field = f instanceof JsonObject j ? j : new JsonObject();
        row(
            out,
            cells(
                o,
                String.valueOf(field.getValue("path", "")),
                text(field.getValue("desired")),
                text(field.getValue("live"))));
      }
    }
    return out.toString();
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  private static List<String> cells(DriftedObject o, String path, String desired, String live) {
    return List.of(
        o.cluster(),
        o.project(),
        o.application(),
        o.group(),
        o.kind(),
        o.namespace(),
        o.name(),
        o.change(),
        path,
        desired,
        live,
        time(o.firstSeen()),
        time(o.lastSeen()),
        Long.toString(o.occurrences()),
        Boolean.toString(o.healed()),
        time(o.healedAt()),
        o.healedBy() == null ? "" : o.healedBy(),
        o.driftKind(),
        Long.toString(o.recurrences()));
  }

  private static String time(Instant t) {
    return t == null ? "" : t.toString();
  }

  private static void row(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cell(cells.get(i)));
    }
    out.append(CRLF);
  }

  /**
   * One cell: defused against formula injection (OWASP: a leading = + - @, tab or CR makes Excel
   * and LibreOffice evaluate it, so prefix a quote), then quoted when RFC 4180 requires it.
   */
  static String cell(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
