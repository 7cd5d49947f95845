package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UiSecurityTest {

  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "/applications/web, /applications/web",
        "/applications?q=a, /applications?q=a",
        "NULL, /applications",
        "'', /applications",
        "https://evil.example/, /applications",
        "//evil.example/, /applications",
        "/\\evil.example, /applications",
        "applications, /applications"
      })
  void onlyALocalPathMayFollowALogin(String next, String expected) {
    assertThat(UiSecurity.localPath(next)).isEqualTo(expected);
  }
}
