package dev.flotilla.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.flotilla.proto.api.v1.ApplicationSetName;
import dev.flotilla.proto.api.v1.ApplyRequest;
import dev.flotilla.proto.api.v1.RegisterClusterRequest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NulFreeInterceptorTest {

  record Case(String name, Message message, String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("clean", RegisterClusterRequest.newBuilder().setName("c1").build(), null),
        new Case("name", RegisterClusterRequest.newBuilder().setName("c\u0000").build(), "name"),
        new Case(
            "label value",
            RegisterClusterRequest.newBuilder().setName("c").putLabels("env", "x\u0000").build(),
            "labels[env]"),
        new Case(
            "label key",
            RegisterClusterRequest.newBuilder().setName("c").putLabels("e\u0000", "x").build(),
            "labels key"),
        new Case(
            "a lookup by name",
            ApplicationSetName.newBuilder().setName("a\u0000b").build(),
            "name"),
        new Case(
            "a YAML document",
            ApplyRequest.newBuilder().setDocument("metadata:\n  name: a\u0000").build(),
            "document"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theFirstFieldHoldingNulIsNamed(Case c) {
    assertThat(NulFreeInterceptor.fieldWithNul(c.message(), "")).isEqualTo(c.field());
  }
}
