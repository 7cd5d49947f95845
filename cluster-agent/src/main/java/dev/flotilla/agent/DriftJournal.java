package dev.flotilla.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.flotilla.proto.agent.v1.DriftEvent;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift events the control plane has not acknowledged yet, persisted beside the assignments (a file
 * of its own, or a ConfigMap of its own) so that an agent restarted while the control plane is away
 * still delivers them. Delivery is at-least-once: an event leaves the journal only when a {@code
 * DriftAck} names its id, and the control plane recognises a redelivered event.
 *
 * <p>The agent reports one occurrence of drift several times (opened, what differs changed,
 * closed), each report under an id of its own: a newer report of an occurrence replaces the one
 * still waiting here, so the journal holds occurrences, not every message about them.
 *
 * <p>Bounded: beyond {@link #MAX_EVENTS} events or {@link #MAX_BYTES} of JSON the oldest are
 * dropped and counted ({@link #dropped()}). Writes happen on a thread of their own, coalesced, so
 * that the watcher reporting drift never waits for a disk or the API server.
 */
final class DriftJournal implements AutoCloseable {

  static final int MAX_EVENTS = 1000;

  /** Leaves room under a ConfigMap's 1 MiB for the key and metadata. */
  static final int MAX_BYTES = 900 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(DriftJournal.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Entry(DriftEvent event, String json) {}

  private final AssignmentBackend backend;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(ClusterAgent.named("drift-journal"));

  /** Guarded by {@code this}; oldest first. */
  private final LinkedHashMap<String, Entry> events = new LinkedHashMap<>();

  /** Guarded by {@code this}: the id journaled for each occurrence. */
  private final Map<String, String> idByOccurrence = new HashMap<>();

  private long bytes;
  private long dropped;
  private boolean writeQueued;
  private volatile String persistenceError;

  DriftJournal(AssignmentBackend backend) {
    this.backend = backend;
    load();
  }

  /** Journals {@code event} under a new id (unless it has one) and returns it as journaled. */
  DriftEvent add(DriftEvent event) {
    DriftEvent withId =
        event.getId().isEmpty()
            ? event.toBuilder().setId(UUID.randomUUID().toString()).build()
            : event;
    synchronized (this) {
      journal(withId);
      trim();
    }
    queueWrite();
    return withId;
  }

  /** The control plane stored these: forget them. */
  void acknowledge(Collection<String> ids) {
    boolean changed = false;
    synchronized (this) {
      for (String id : ids) {
        changed |= remove(id);
      }
    }
    if (changed) {
      queueWrite();
    }
  }

  /** Every event not yet acknowledged, oldest first. */
  synchronized List<DriftEvent> unacknowledged() {
    return events.values().stream().map(Entry::event).toList();
  }

  /** Events dropped (oldest first) because the journal was full, since it was created. */
  synchronized long dropped() {
    return dropped;
  }

  /** Why the journal could not be written last time; empty once a later write succeeded. */
  Optional<String> persistenceError() {
    return Optional.ofNullable(persistenceError);
  }

  /** Where the journal lives, for logs. */
  String describe() {
    return backend.describe();
  }

  /** Writes what is pending now, on the caller's thread. */
  void flush() {
    write();
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    write();
  }

  /** What makes reports the same occurrence: its Application, object and detection time. */
  private static String occurrence(DriftEvent e) {
    var r = e.getResource();
    return String.join(
        "\u0000",
        e.getApplication(),
        r.getGroup(),
        r.getKind(),
        r.getNamespace(),
        r.getName(),
        Long.toString(e.getDetectedAtUnixMs()));
  }

  /** Journals {@code e}, replacing an earlier report of the same occurrence still held. */
  private void journal(DriftEvent e) {
    String previous = idByOccurrence.get(occurrence(e));
    if (previous != null && !previous.equals(e.getId())) {
      remove(previous);
    }
    put(e);
  }

  private boolean remove(String id) {
    Entry gone = events.remove(id);
    if (gone == null) {
      return false;
    }
    bytes -= gone.json().length();
    idByOccurrence.remove(occurrence(gone.event()), id);
    return true;
  }

  private void put(DriftEvent e) {
    String json;
    try {
      json = JsonFormat.printer().omittingInsignificantWhitespace().print(e);
    } catch (InvalidProtocolBufferException impossible) {
      throw new IllegalStateException(impossible);
    }
    Entry previous = events.put(e.getId(), new Entry(e, json));
    bytes += json.length() - (previous == null ? 0 : previous.json().length());
    idByOccurrence.put(occurrence(e), e.getId());
  }

  private void trim() {
    long before = dropped;
    Iterator<Entry> oldest = events.values().iterator();
    while (oldest.hasNext() && (events.size() > MAX_EVENTS || bytes > MAX_BYTES)) {
      Entry gone = oldest.next();
      bytes -= gone.json().length();
      idByOccurrence.remove(occurrence(gone.event()), gone.event().getId());
      oldest.remove();
      dropped++;
    }
    if (dropped > before) {
      LOG.warn(
          "drift journal full: dropped the {} oldest unacknowledged event(s), {} in all",
          dropped - before,
          dropped);
    }
  }

  private void queueWrite() {
    synchronized (this) {
      if (writeQueued) {
        return;
      }
      writeQueued = true;
    }
    try {
      writer.execute(this::write);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() writes whatever is left.
    }
  }

  private void write() {
    String document;
    synchronized (this) {
      writeQueued = false;
      StringBuilder b = new StringBuilder("{\"dropped\":").append(dropped).append(",\"events\":[");
      String separator = "";
      for (Entry e : events.values()) {
        b.append(separator).append(e.json());
        separator = ",";
      }
      document = b.append("]}").toString();
    }
    try {
      backend.save(document);
      persistenceError = null;
    } catch (StatePersistenceException e) {
      persistenceError = e.getMessage();
      LOG.warn("drift journal: {}", e.getMessage());
    }
  }

  private void load() {
    String document = backend.load().orElse(null);
    if (document == null) {
      return;
    }
    try {
      JsonNode root = JSON.readTree(document);
      dropped = root.path("dropped").asLong(0);
      for (JsonNode node : root.path("events")) {
        DriftEvent.Builder event = DriftEvent.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(node.toString(), event);
        if (!event.getId().isEmpty()) {
          journal(event.build());
        }
      }
      trim();
    } catch (IOException e) {
      // Losing undelivered drift history is better than an agent that cannot start.
      LOG.warn("drift journal in {} is not valid and is ignored: {}", describe(), e.getMessage());
    }
  }

  /** How many events are journaled, for tests and logs. */
  synchronized int size() {
    return events.size();
  }
}
