package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlPlaneChannelTest {

  @Test
  void aListOfAddressesIsSplitAndEachLosesItsSchemeAndSlash() {
    assertThat(ControlPlaneChannel.targets("https://a:1/, b:2 ,c:3"))
        .containsExactly("a:1", "b:2", "c:3");
    assertThat(ControlPlaneChannel.targets("cp.flotilla.svc:9090"))
        .containsExactly("cp.flotilla.svc:9090");
  }

  @Test
  void aValueWithNoAddressIsRefusedNamingIt() {
    assertThatThrownBy(() -> ControlPlaneChannel.targets(" , "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--control-plane: no address in ' , '");
  }

  @Test
  void afterAStreamEndsTheNextGoesToAnotherReplicaPickedAtRandom() {
    ControlPlaneChannel channel =
        ControlPlaneChannel.open(
            "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3",
            InsecureChannelCredentials.create(),
            b -> b.build());
    try {
      Map<Integer, Integer> picks = new HashMap<>();
      for (int i = 0; i < 3000; i++) {
        int before = channel.current();
        channel.moveOn();
        assertThat(channel.current())
            .as("never the one whose stream just ended")
            .isNotEqualTo(before);
        picks.merge(channel.current(), 1, Integer::sum);
      }
      // Each replica gets about a third: the agents of one that died spread over the others.
      assertThat(picks.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void oneAddressIsOneChannelThatStaysPut() {
    ControlPlaneChannel channel =
        new ControlPlaneChannel(
            List.<ManagedChannel>of(
                io.grpc.Grpc.newChannelBuilder("127.0.0.1:1", InsecureChannelCredentials.create())
                    .build()),
            0,
            ControlPlaneChannel.RANDOM_OTHER);
    try {
      channel.moveOn();
      assertThat(channel.current()).isZero();
      assertThat(channel.authority()).isEqualTo("127.0.0.1:1");
    } finally {
      channel.shutdownNow();
    }
  }
}
