package dev.flotilla.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Assignments in a local file, replaced atomically so a crash never leaves half a document. */
public final class FileAssignmentBackend implements AssignmentBackend {

  private final Path file;

  public FileAssignmentBackend(Path file) {
    this.file = file;
  }

  @Override
  public Optional<String> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      throw new StatePersistenceException("cannot read agent state " + describe() + ": " + e, e);
    }
  }

  @Override
  public void save(String document) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, document);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StatePersistenceException("cannot write agent state " + describe() + ": " + e, e);
    }
  }

  @Override
  public String describe() {
    return "file " + file;
  }
}
