package dev.flotilla.controlplane.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ApiException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PageRequestTest {

  static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

  @Test
  void walksTheWholeListPageByPage() {
    Page<String> first = PageRequest.of(2, "", "limit").apply(NAMES, Function.identity());
    assertThat(first.items()).containsExactly("a", "b");
    assertThat(first.nextPageToken()).isEqualTo("b");
    Page<String> second = PageRequest.of(2, "b", "limit").apply(NAMES, Function.identity());
    assertThat(second.items()).containsExactly("c", "d");
    Page<String> last = PageRequest.of(2, "d", "limit").apply(NAMES, Function.identity());
    assertThat(last.items()).containsExactly("e");
    assertThat(last.nextPageToken()).isEmpty();
  }

  @Test
  void anExactlyFullLastPageHasNoNextToken() {
    Page<String> page = PageRequest.of(5, "", "limit").apply(NAMES, Function.identity());
    assertThat(page.items()).hasSize(5);
    assertThat(page.nextPageToken()).isEmpty();
  }

  @Test
  void aTokenWhoseItemWasDeletedStillContinuesAfterIt() {
    Page<String> page = PageRequest.of(2, "bb", "limit").apply(NAMES, Function.identity());
    assertThat(page.items()).containsExactly("c", "d");
  }

  @Test
  void zeroOrNothingMeansTheDefaultSize() {
    assertThat(PageRequest.of(0, null, "page_size").size()).isEqualTo(PageRequest.DEFAULT_SIZE);
    assertThat(PageRequest.parse(null, null, "limit").size()).isEqualTo(PageRequest.DEFAULT_SIZE);
  }

  @Test
  void badSizesNameTheParameter() {
    for (String bad : List.of("0", "-1", "1001", "ten", "1e3")) {
      assertThatThrownBy(() -> PageRequest.parse(bad, null, "limit"))
          .as(bad)
          .isInstanceOf(ApiException.class)
          .hasMessageStartingWith("limit: ");
    }
    assertThatThrownBy(() -> PageRequest.of(-5, null, "page_size"))
        .hasMessageStartingWith("page_size: ");
  }
}
