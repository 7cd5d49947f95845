package dev.flotilla.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;

/**
 * The regular files of one commit, read straight from the mirror without writing a checkout. What
 * one snapshot lists and reads counts against the {@link GitLimits} (file names included), so a
 * generator walking a huge repository fails with a clear error instead of exhausting the heap.
 */
public final class GitSnapshot {

  private final GitCache cache;
  private final String url;
  private final String sha;
  private final Map<String, ObjectId> files;
  private final AtomicLong used;

  GitSnapshot(GitCache cache, String url, String sha, Map<String, ObjectId> files, long used) {
    this.cache = cache;
    this.url = url;
    this.sha = sha;
    this.files = files;
    this.used = new AtomicLong(used);
  }

  /** The commit SHA. */
  public String revision() {
    return sha;
  }

  /** Every regular file of the commit, sorted; symlinks are left out (they could lead outside). */
  public List<String> files() {
    return new ArrayList<>(files.keySet());
  }

  /**
   * The content of {@code path}.
   *
   * @throws GitFetchException when the file is missing, larger than {@code maxFileBytes}, or would
   *     take what this snapshot has read over the byte limit
   */
  public byte[] read(String path, long maxFileBytes) throws GitFetchException {
    ObjectId id = files.get(path);
    if (id == null) {
      throw new GitFetchException("file '" + path + "' not found in " + url + " at " + sha);
    }
    long maxBytes = cache.limits().maxCheckoutBytes();
    try (Repository repo = cache.openMirror(url)) {
      ObjectLoader loader = repo.open(id);
      long size = loader.getSize();
      if (size > maxFileBytes) {
        throw new GitFetchException(
            "file '" + path + "' is " + size + " bytes, over the limit of " + maxFileBytes);
      }
      if (used.addAndGet(size) > maxBytes) {
        throw new GitFetchException(
            "reading '"
                + path
                + "' takes the files read from "
                + url
                + " at "
                + sha
                + " over the limit of "
                + maxBytes
                + " bytes");
      }
      return loader.getBytes();
    } catch (IOException e) {
      throw new GitFetchException(
          "cannot read '" + path + "' of " + url + ": " + e.getMessage(), e);
    }
  }
}
