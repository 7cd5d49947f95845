package dev.flotilla.controlplane.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The drift report as JSON bytes, the same document as {@link DriftReport#toJson()}, written in one
 * pass: each object's fields go out as the JSON text Postgres returned, so a 1,000-object report is
 * neither parsed into trees nor encoded twice.
 */
public final class DriftJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private DriftJson() {}

  public static Buffer render(DriftReport report) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + report.items().size() * 640);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("items");
      for (DriftedObject o : report.items()) {
        item(g, o);
      }
      g.writeEndArray();
      g.writeNumberField("total", report.total());
      g.writeNumberField("limit", report.limit());
      g.writeNumberField("offset", report.offset());
      g.writeStringField("nextPageToken", report.nextPageToken());
      g.writeArrayFieldStart("outOfSyncApplications");
      for (String application : report.outOfSyncApplications()) {
        g.writeString(application);
      }
      g.writeEndArray();
      Integer next = report.nextOffset();
      if (next == null) {
        g.writeNullField("nextOffset");
      } else {
        g.writeNumberField("nextOffset", next);
      }
      g.writeObjectFieldStart("totals");
      totals(g, "byCluster", "cluster", report.byCluster());
      totals(g, "byProject", "project", report.byProject());
      totals(g, "byTeam", "team", report.byTeam());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static void item(JsonGenerator g, DriftedObject o) throws IOException {
    g.writeStartObject();
    g.writeStringField("cluster", o.cluster());
    g.writeStringField("project", o.project());
    g.writeStringField("application", o.application());
    g.writeStringField("group", o.group());
    g.writeStringField("kind", o.kind());
    g.writeStringField("namespace", o.namespace());
    g.writeStringField("name", o.name());
    g.writeStringField("change", o.change());
    g.writeFieldName("fields");
    g.writeRawValue(o.fieldsJson());
    g.writeStringField("firstSeenAt", time(o.firstSeen()));
    g.writeStringField("lastSeenAt", time(o.lastSeen()));
    g.writeNumberField("occurrences", o.occurrences());
    g.writeNumberField("heals", o.heals());
    g.writeBooleanField("healed", o.healed());
    g.writeStringField("healedAt", time(o.healedAt()));
    g.writeStringField("lastHealedAt", time(o.lastHealedAt()));
    g.writeStringField("healedBy", o.healedBy());
    g.writeStringField("driftKind", o.driftKind());
    g.writeNumberField("recurrences", o.recurrences());
    g.writeEndObject();
  }

  private static void totals(JsonGenerator g, String field, String keyName, List<DriftTotal> totals)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (DriftTotal t : totals) {
      g.writeStartObject();
      g.writeStringField(keyName, t.key());
      g.writeNumberField("objects", t.objects());
      g.writeNumberField("unhealed", t.unhealed());
      g.writeNumberField("events", t.events());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
