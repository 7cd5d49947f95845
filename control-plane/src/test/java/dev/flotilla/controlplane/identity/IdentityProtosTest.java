package dev.flotilla.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ApiException;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IdentityProtosTest {

  record Case(String name, Throwable given, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "camelCase field of a bad argument",
            new IllegalArgumentException("displayName: longer than 1024 characters"),
            "display_name: longer than 1024 characters"),
        new Case(
            "camelCase field of an INVALID refusal",
            ApiException.invalid("expiresAt: must lie in the future"),
            "expires_at: must lie in the future"),
        new Case(
            "one-word field stays", ApiException.invalid("name: is required"), "name: is required"),
        new Case(
            "not a field",
            new IllegalArgumentException("team 'a' or user 'b' does not exist"),
            "team 'a' or user 'b' does not exist"),
        new Case(
            "a refusal is not bad input",
            ApiException.forbidden("defaultRole: whatever"),
            "defaultRole: whatever"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusalsNameTheProtoField(Case c) {
    Throwable out = IdentityProtos.protoFieldNames(c.given());
    assertThat(out.getMessage()).isEqualTo(c.message());
    assertThat(out.getClass()).isIn(ApiException.class, c.given().getClass());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onlyBadInputChangesItsMessage(Case c) {
    Throwable out = IdentityProtos.protoFieldNames(c.given());
    if (c.given().getMessage().equals(c.message())) {
      assertThat(out).isSameAs(c.given());
    }
  }

  @org.junit.jupiter.api.Test
  void tokenPageKeysSortNewestFirst() {
    List<Long> ids = List.of(1L, 9L, 10L, 123_456_789L, Long.MAX_VALUE - 1);
    List<Long> byKey =
        ids.stream()
            .map(IdentityProtosTest::token)
            .sorted(Comparator.comparing(TokenService::pageKey))
            .map(ApiToken::id)
            .toList();
    assertThat(byKey).containsExactly(Long.MAX_VALUE - 1, 123_456_789L, 10L, 9L, 1L);
  }

  private static ApiToken token(long id) {
    return new ApiToken(
        id, ApiToken.Kind.USER, "u", null, null, "", OffsetDateTime.now(), null, false, null);
  }
}
