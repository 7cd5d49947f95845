package dev.flotilla.agent;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.flotilla.proto.AssignmentChecksum;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.Snapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Applications this cluster was last assigned, persisted (to a file or a ConfigMap, see {@link
 * AssignmentBackend}) so that after a restart with the control plane unreachable the agent keeps
 * reconciling what it had.
 *
 * <p>Changes are made in memory first and then persisted. When persisting fails (a full disk, a
 * state too large for a ConfigMap) the error is logged and kept in {@link #persistenceError()}, and
 * the agent keeps working from what it holds: only a restart while the control plane is away would
 * miss what was not written.
 */
public final class AssignmentStore {

  private static final Logger LOG = LoggerFactory.getLogger(AssignmentStore.class);

  private final AssignmentBackend backend;
  private final Map<String, Assignment> assignments = new TreeMap<>();
  private String persistenceError;

  public AssignmentStore(Path file) {
    this(new FileAssignmentBackend(file));
  }

  public AssignmentStore(AssignmentBackend backend) {
    this.backend = backend;
    load();
  }

  /** Where the state is kept, for logs. */
  public String describe() {
    return backend.describe();
  }

  /** Why the last change could not be persisted; empty once a later change was written. */
  public synchronized Optional<String> persistenceError() {
    return Optional.ofNullable(persistenceError);
  }

  public synchronized List<Assignment> all() {
    return List.copyOf(assignments.values());
  }

  public synchronized Optional<Assignment> get(String name) {
    return Optional.ofNullable(assignments.get(name));
  }

  public synchronized String checksum() {
    return AssignmentChecksum.of(assignments.values());
  }

  public synchronized long highestGeneration() {
    return assignments.values().stream().mapToLong(Assignment::getGeneration).max().orElse(0);
  }

  /**
   * Stores {@code a} unless an equal or newer generation is held; returns whether it changed. The
   * same generation is taken when only its sync window state differs: windows open and close with
   * the clock, without a generation bump.
   */
  public synchronized boolean upsert(Assignment a) {
    Assignment held = assignments.get(a.getName());
    if (held != null
        && (held.getGeneration() > a.getGeneration()
            || (held.getGeneration() == a.getGeneration() && sameWindowState(held, a)))) {
      return false;
    }
    assignments.put(a.getName(), a);
    save();
    return true;
  }

  public synchronized Optional<Assignment> remove(String name) {
    Assignment removed = assignments.remove(name);
    if (removed != null) {
      save();
    }
    return Optional.ofNullable(removed);
  }

  /** Replaces everything with a snapshot; returns the assignments that are gone. */
  public synchronized List<Assignment> replaceAll(List<Assignment> snapshot) {
    Map<String, Assignment> next = new TreeMap<>();
    snapshot.forEach(a -> next.put(a.getName(), a));
    List<Assignment> gone =
        assignments.values().stream().filter(a -> !next.containsKey(a.getName())).toList();
    assignments.clear();
    assignments.putAll(next);
    save();
    return gone;
  }

  private void load() {
    String document = backend.load().orElse(null);
    if (document == null) {
      return;
    }
    try {
      Snapshot.Builder builder = Snapshot.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(document, builder);
      builder.getAssignmentsList().forEach(a -> assignments.put(a.getName(), a));
    } catch (InvalidProtocolBufferException e) {
      throw new StatePersistenceException(
          "agent state in " + backend.describe() + " is not valid: " + e.getMessage(), e);
    }
  }

  private void save() {
    String json;
    try {
      json =
          JsonFormat.printer()
              .print(Snapshot.newBuilder().addAllAssignments(assignments.values()).build());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    try {
      backend.save(json);
      if (persistenceError != null) {
        LOG.info("agent state written to {} again", backend.describe());
      }
      persistenceError = null;
    } catch (StatePersistenceException e) {
      persistenceError = e.getMessage();
      LOG.error("{}", e.getMessage());
    }
  }

  private static boolean sameWindowState(Assignment held, Assignment a) {
    return held.getAutoSyncBlocked() == a.getAutoSyncBlocked()
        && held.getAutoSyncBlockedReason().equals(a.getAutoSyncBlockedReason());
  }
}
