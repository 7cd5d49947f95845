package dev.flotilla.controlplane.identity;

/** A new token: {@code plaintext} exists only here, to be shown once; Postgres keeps its hash. */
public record CreatedToken(ApiToken token, String plaintext) {

  @Override
  public String toString() {
    return "CreatedToken[token=" + token + ", plaintext=<hidden>]";
  }
}
