package dev.flotilla.agent;

import dev.flotilla.core.tls.Pem;
import dev.flotilla.core.tls.TlsConfigException;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import javax.net.ssl.SSLException;

/**
 * How the agent dials the control plane (plaintext or TLS, which CA) and what it tells the operator
 * when the TLS handshake fails: both read only the configuration, so they are checked at start-up
 * and in unit tests without a connection.
 */
final class ControlPlaneTls {

  private ControlPlaneTls() {}

  /**
   * Plaintext, TLS with the JDK's trusted CAs, or TLS trusting only the configured CA file.
   *
   * @throws TlsConfigException when the CA file is missing or holds no PEM certificate
   */
  static ChannelCredentials channelCredentials(AgentConfig config) {
    if (!config.tls()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    if (config.caFile() != null) {
      tls.trustManager(Pem.trustManagers(config.caFile(), CA_FLAG).getTrustManagers());
    }
    return tls.build();
  }

  static final String CA_FLAG = "--ca-file";

  /**
   * What to tell the operator when a connection failed in the TLS handshake, or null when it did
   * not: certificate errors repeat on every retry until someone changes a flag or a certificate.
   */
  static String tlsProblem(Status status, AgentConfig config) {
    Throwable ssl = null;
    boolean certificate = false;
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SSLException && ssl == null) {
        ssl = t;
      }
      certificate |=
          t instanceof java.security.cert.CertificateException
              || t instanceof java.security.cert.CertPathBuilderException
              || t instanceof java.security.cert.CertPathValidatorException;
    }
    if (ssl == null) {
      return null;
    }
    String detail = rootMessage(ssl);
    if (certificate && detail.contains("subject alternative names")) {
      return "the control plane's certificate does not name "
          + config.target()
          + " ("
          + detail
          + ") — dial the host name or IP address it was issued for";
    }
    if (certificate) {
      return "the control plane's certificate at "
          + config.target()
          + " is not trusted ("
          + detail
          + ") — pass "
          + CA_FLAG
          + " with the CA certificate that signed it"
          + (config.caFile() != null ? " (" + config.caFile() + " did not)" : "");
    }
    return "TLS with the control plane at "
        + config.target()
        + " failed ("
        + detail
        + ") — if the server runs without --tls-cert, drop --tls/--ca-file";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
