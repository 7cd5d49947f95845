package dev.flotilla.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A bare repository whose commits are built object by object, so that a test can write trees Git's
 * own commands refuse: duplicate names, a symlink and a directory of the same name, names holding
 * "/" or "..", links out of the repository.
 */
final class CraftedRepo implements AutoCloseable {

  /** One entry of a tree: a name as Git stores it, a mode and the object it points at. */
  record Entry(String name, FileMode mode, ObjectId id) {}

  private final Repository repo;
  private final ObjectInserter inserter;
  private final String url;

  CraftedRepo(Path dir) throws IOException {
    repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    repo.create(true);
    inserter = repo.newObjectInserter();
    url = dir.toUri().toString();
  }

  String url() {
    return url;
  }

  Entry file(String name, String content) throws IOException {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  Entry file(String name, byte[] content) throws IOException {
    return new Entry(name, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, content));
  }

  Entry link(String name, String target) throws IOException {
    return new Entry(
        name,
        FileMode.SYMLINK,
        inserter.insert(Constants.OBJ_BLOB, target.getBytes(StandardCharsets.UTF_8)));
  }

  /** A directory holding {@code entries} in the order given (not necessarily Git's order). */
  Entry dir(String name, Entry... entries) throws IOException {
    return new Entry(name, FileMode.TREE, tree(entries));
  }

  ObjectId tree(Entry... entries) throws IOException {
    TreeFormatter tree = new TreeFormatter();
    for (Entry e : entries) {
      tree.append(e.name(), e.mode(), e.id());
    }
    return inserter.insert(tree);
  }

  /** Commits a root tree of {@code entries} on branch main; returns the commit SHA. */
  String commit(Entry... entries) throws IOException {
    CommitBuilder commit = new CommitBuilder();
    commit.setTreeId(tree(entries));
    PersonIdent who = new PersonIdent("crafted", "crafted@flotilla.invalid");
    commit.setAuthor(who);
    commit.setCommitter(who);
    commit.setMessage("crafted");
    ObjectId id = inserter.insert(commit);
    inserter.flush();
    RefUpdate ref = repo.updateRef("refs/heads/main");
    ref.setNewObjectId(id);
    ref.setForceUpdate(true);
    ref.update();
    RefUpdate head = repo.updateRef(Constants.HEAD);
    head.link("refs/heads/main");
    return id.name();
  }

  @Override
  public void close() {
    inserter.close();
    repo.close();
  }
}
