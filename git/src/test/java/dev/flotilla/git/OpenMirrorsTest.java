package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenMirrorsTest {

  @TempDir Path tmp;

  private Path bareRepo(String name) throws Exception {
    Path dir = tmp.resolve(name);
    Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
    return dir;
  }

  @Test
  void aMirrorIsOpenedOnceAndSharedUntilForgotten() throws Exception {
    Path a = bareRepo("a.git");
    OpenMirrors mirrors = new OpenMirrors(4);
    Repository first;
    try (Repository r = mirrors.borrow(a)) {
      first = r;
    }
    try (Repository again = mirrors.borrow(a)) {
      assertThat(again).as("kept open after the borrower closed it").isSameAs(first);
    }
    assertThat(mirrors.size()).isEqualTo(1);

    mirrors.forget(a);
    assertThat(mirrors.size()).isZero();
    try (Repository fresh = mirrors.borrow(a)) {
      assertThat(fresh).isNotSameAs(first);
    }
  }

  @Test
  void theLeastRecentlyUsedIsClosedFirstAndStaysUsableByWhoeverHoldsIt() throws Exception {
    Path a = bareRepo("a.git");
    Path b = bareRepo("b.git");
    OpenMirrors mirrors = new OpenMirrors(1);
    try (Repository heldA = mirrors.borrow(a)) {
      try (Repository rb = mirrors.borrow(b)) {
        assertThat(mirrors.size()).isEqualTo(1);
        assertThat(rb.getDirectory().toPath()).isEqualTo(b);
      }
      // a was evicted while held: still readable by its holder.
      assertThat(heldA.getConfig().getBoolean("core", "bare", false)).isTrue();
      assertThat(heldA.exactRef("HEAD")).isNotNull();
      try (Repository reopened = mirrors.borrow(a)) {
        assertThat(reopened).isNotSameAs(heldA);
      }
    }
  }

  @Test
  void aMissingMirrorOrABadCapacityIsRefused() {
    OpenMirrors mirrors = new OpenMirrors(2);
    assertThatThrownBy(() -> mirrors.borrow(tmp.resolve("nothing.git")))
        .isInstanceOf(org.eclipse.jgit.errors.RepositoryNotFoundException.class)
        .hasMessageContaining("nothing.git");
    assertThat(mirrors.size()).isZero();
    assertThatThrownBy(() -> new OpenMirrors(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be at least 1, was 0");
  }
}
