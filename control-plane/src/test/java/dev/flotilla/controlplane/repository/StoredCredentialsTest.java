package dev.flotilla.controlplane.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.git.GitCredential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors recorded as a repository's connection state carry no secret. */
class StoredCredentialsTest {

  private static final String KEY_LINE = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ";

  private static final List<GitCredential> ENTRIES =
      List.of(
          new GitCredential(
              "https://git.example.com/a.git", false, "u", "tok-123", null, false, null),
          new GitCredential(
              "ssh://git@git.example.com/b.git",
              false,
              null,
              null,
              "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                  + KEY_LINE
                  + "\n-----END OPENSSH PRIVATE KEY-----\n",
              false,
              null));

  @Test
  void passwordsKeyLinesAndUrlPasswordsAreMasked() {
    String masked =
        StoredCredentials.mask(
            "cannot fetch https://u:tok-123@git.example.com/a.git: server said tok-123; key "
                + KEY_LINE
                + " refused; see http://me:other-pw@proxy/",
            ENTRIES);
    assertThat(masked)
        .doesNotContain("tok-123")
        .doesNotContain(KEY_LINE)
        .doesNotContain("other-pw")
        .contains("https://u:******@git.example.com/a.git")
        .contains("http://me:******@proxy/")
        .contains("server said ******");
  }

  @Test
  void aMessageWithoutSecretsIsUnchanged() {
    String message = "cannot fetch https://git.example.com/a.git: not authorized";
    assertThat(StoredCredentials.mask(message, ENTRIES)).isEqualTo(message);
  }
}
