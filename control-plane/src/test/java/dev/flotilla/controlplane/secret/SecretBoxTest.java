package dev.flotilla.controlplane.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

  @TempDir Path home;

  private static final String TOKEN = "ghp_s3cretTokenValue";
  private static final String URL = "https://git.example.com/team/infra.git";

  @Test
  void aSealedSecretOpensOnlyWithTheSameKeyForTheSameOwner() throws Exception {
    SecretBox box = SecretKeys.load(null, home);
    String sealed = box.seal(TOKEN, URL);
    assertThat(sealed).startsWith("v1:").doesNotContain(TOKEN);
    assertThat(box.seal(TOKEN, URL)).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThat(box.open(sealed, URL)).isEqualTo(TOKEN);

    assertThatThrownBy(() -> box.open(sealed, "https://git.example.com/other.git"))
        .isInstanceOf(SecretException.class)
        .hasMessageContaining("does not decrypt")
        .hasMessageNotContaining(TOKEN);
    SecretBox other = SecretKeys.load(Base64.getEncoder().encodeToString(new byte[32]), home);
    assertThatThrownBy(() -> other.open(sealed, URL))
        .isInstanceOf(SecretException.class)
        .hasMessageContaining("FLOTILLA_SECRET_KEY");
    String altered = sealed.substring(0, sealed.length() - 3) + "AAA";
    assertThatThrownBy(() -> box.open(altered, URL)).isInstanceOf(SecretException.class);
    assertThatThrownBy(() -> box.open("plain", URL))
        .isInstanceOf(SecretException.class)
        .hasMessage("a stored secret is not in a known format");
    assertThatThrownBy(() -> box.open("v1:AAAA", URL))
        .isInstanceOf(SecretException.class)
        .hasMessage("a stored secret is truncated");
  }

  @Test
  void theKeyFileIsMadeOnceReadableByItsOwnerOnlyAndKeptAcrossStarts() throws Exception {
    String sealed = SecretKeys.load(null, home).seal(TOKEN, URL);
    Path file = home.resolve(SecretKeys.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(SecretKeys.load(null, home).open(sealed, URL)).isEqualTo(TOKEN);
    try (var listing = Files.list(home)) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void theEnvironmentWinsOverTheFile() throws Exception {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    String sealed = SecretKeys.load(key, home).seal(TOKEN, URL);
    assertThat(Files.exists(home.resolve(SecretKeys.FILE))).isFalse();
    assertThat(SecretKeys.load(" " + key + "\n", home).open(sealed, URL)).isEqualTo(TOKEN);
  }

  @Test
  void aBadKeyIsNamedWithoutBeingShown() throws Exception {
    assertThatThrownBy(() -> SecretKeys.load("not base64!", home))
        .hasMessageStartingWith("FLOTILLA_SECRET_KEY is not base64")
        .hasMessageNotContaining("not base64!");
    assertThatThrownBy(
            () -> SecretKeys.load(Base64.getEncoder().encodeToString(new byte[16]), home))
        .hasMessageContaining("holds 16 bytes, but the secret key must be 32 bytes");
    Files.writeString(home.resolve(SecretKeys.FILE), "short");
    assertThatThrownBy(() -> SecretKeys.load(null, home))
        .hasMessageContaining(home.resolve(SecretKeys.FILE).toString());
  }
}
