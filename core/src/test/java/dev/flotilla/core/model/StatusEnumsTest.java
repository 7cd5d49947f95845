package dev.flotilla.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusEnumsTest {

  @Test
  void syncStatusReadsAndWritesArgoCdSpelling() {
    for (SyncStatus s : SyncStatus.values()) {
      assertThat(SyncStatus.of(s.label())).isEqualTo(s);
    }
    assertThat(SyncStatus.OUT_OF_SYNC.label()).isEqualTo("OutOfSync");
    assertThat(SyncStatus.of(null)).isEqualTo(SyncStatus.UNKNOWN);
    assertThat(SyncStatus.of("synced")).isEqualTo(SyncStatus.UNKNOWN);
  }

  @Test
  void healthStatusReadsAndWritesArgoCdSpelling() {
    for (HealthStatus h : HealthStatus.values()) {
      assertThat(HealthStatus.of(h.label())).isEqualTo(h);
    }
    assertThat(HealthStatus.of("Progressing")).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(HealthStatus.of("")).isEqualTo(HealthStatus.UNKNOWN);
  }

  @Test
  void applicationsSyncPolicySaysWhatAGenerationMayDo() {
    assertThat(ApplicationsSyncPolicy.of("create-only"))
        .hasValueSatisfying(
            p -> {
              assertThat(p.allowsUpdate()).isFalse();
              assertThat(p.allowsDelete()).isFalse();
            });
    assertThat(ApplicationsSyncPolicy.CREATE_UPDATE.allowsUpdate()).isTrue();
    assertThat(ApplicationsSyncPolicy.CREATE_UPDATE.allowsDelete()).isFalse();
    assertThat(ApplicationsSyncPolicy.CREATE_DELETE.allowsUpdate()).isFalse();
    assertThat(ApplicationsSyncPolicy.CREATE_DELETE.allowsDelete()).isTrue();
    assertThat(ApplicationsSyncPolicy.SYNC.allowsUpdate()).isTrue();
    assertThat(ApplicationsSyncPolicy.SYNC.allowsDelete()).isTrue();
    assertThat(ApplicationsSyncPolicy.of("upsert")).isEqualTo(Optional.empty());
  }
}
