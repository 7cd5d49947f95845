package dev.flotilla.agent.reconcile.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceRevisionsTest {

  @Test
  void joinsAndSplitsPerSource() {
    assertThat(SourceRevisions.join(List.of("a1", "b2"))).isEqualTo("a1,b2");
    assertThat(SourceRevisions.split("a1,b2", 2)).containsExactly("a1", "b2");
  }

  @Test
  void missingEntriesMeanTheSourcesOwnTargetRevision() {
    assertThat(SourceRevisions.split("", 2)).containsExactly("", "");
    assertThat(SourceRevisions.split("a1", 3)).containsExactly("a1", "", "");
    assertThat(SourceRevisions.split(",b2", 2)).containsExactly("", "b2");
  }

  @Test
  void refusesMoreRevisionsThanSources() {
    assertThatThrownBy(() -> SourceRevisions.split("a,b,c", 2))
        .hasMessage("revision 'a,b,c' names 3 revisions, but the Application has 2 sources");
  }
}
