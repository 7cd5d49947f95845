package dev.flotilla.generators;

import java.util.List;

/** A read-only view of one commit of a Git repository. Paths are relative and '/'-separated. */
public interface GitTreeSnapshot {

  /** The commit SHA this snapshot shows. */
  String revision();

  /** Every regular file of the commit, sorted; directories are implied by these paths. */
  List<String> files();

  /**
   * The content of one file.
   *
   * @throws GitInputException when the file is missing or larger than {@code maxBytes}
   */
  byte[] read(String path, long maxBytes) throws GitInputException;
}
