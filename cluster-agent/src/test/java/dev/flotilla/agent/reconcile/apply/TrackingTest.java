package dev.flotilla.agent.reconcile.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackingTest {

  @Test
  void trackingIdFollowsArgoCdsFormatAndNamesTheOwner() {
    String id =
        Tracking.trackingId("billing", new ObjectKey("apps", "v1", "Deployment", "pay", "web"));

    assertThat(id).isEqualTo("billing:apps/Deployment:pay/web");
    assertThat(Tracking.owner(id)).isEqualTo("billing");
    assertThat(Tracking.owner(null)).isNull();
    assertThat(Tracking.owner("no-colon")).isNull();
  }

  @Test
  void appLabelIsTheNameWhenValidAndAStableHashOtherwise() {
    String longName = "a".repeat(80);

    assertThat(Tracking.appLabelValue("billing-prod")).isEqualTo("billing-prod");
    assertThat(Tracking.appLabelValue(longName)).startsWith("h-").hasSizeLessThanOrEqualTo(63);
    assertThat(Tracking.appLabelValue(longName)).isEqualTo(Tracking.appLabelValue(longName));
    assertThat(Tracking.appLabelValue(longName))
        .isNotEqualTo(Tracking.appLabelValue(longName + "b"));
  }

  @Test
  void objectIdentityIgnoresTheVersion() {
    assertThat(new ObjectKey("apps", "v1", "Deployment", "ns", "web"))
        .isEqualTo(new ObjectKey("apps", "v2", "Deployment", "ns", "web"))
        .isNotEqualTo(new ObjectKey("apps", "v1", "Deployment", "other", "web"));
  }
}
