package dev.flotilla.agent;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.flotilla.proto.AssignmentChecksum;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Applications this cluster was last assigned, persisted to a file so that after a restart with
 * the control plane unreachable the agent keeps reconciling what it had.
 */
public final class AssignmentStore {

  private final Path file;
  private final Map<String, Assignment> assignments = new TreeMap<>();

  public AssignmentStore(Path file) {
    this.file = file;
    load();
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

  /** Stores {@code a} unless an equal or newer generation is held; returns whether it changed. */
  public synchronized boolean upsert(Assignment a) {
    Assignment held = assignments.get(a.getName());
    if (held != null && held.getGeneration() >= a.getGeneration()) {
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
    if (!Files.exists(file)) {
      return;
    }
    try {
      Snapshot.Builder builder = Snapshot.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(Files.readString(file), builder);
      builder.getAssignmentsList().forEach(a -> assignments.put(a.getName(), a));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read agent state " + file, e);
    }
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      String json =
          JsonFormat.printer()
              .print(Snapshot.newBuilder().addAllAssignments(assignments.values()).build());
      Files.writeString(tmp, json);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write agent state " + file, e);
    }
  }
}
