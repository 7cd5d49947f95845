package dev.flotilla.controlplane.tls;

import dev.flotilla.core.tls.Pem;
import dev.flotilla.core.tls.TlsConfigException;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.vertx.core.net.KeyCertOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;

/**
 * The control plane's certificate and key, read and checked once at start-up so that a bad file
 * stops the server before anything listens. The REST server (Vert.x) and the gRPC server (Netty)
 * present the same key material.
 */
public final class ServerTls {

  public static final String CERT_FLAG = "--tls-cert";
  public static final String KEY_FLAG = "--tls-key";

  private final Path certFile;
  private final Path keyFile;
  private final X509Certificate leaf;
  private final KeyManagerFactory keyManagers;

  private ServerTls(
      Path certFile, Path keyFile, X509Certificate leaf, KeyManagerFactory keyManagers) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.leaf = leaf;
    this.keyManagers = keyManagers;
  }

  /**
   * Reads a PEM certificate chain (leaf first) and its PEM private key.
   *
   * @throws TlsConfigException naming the flag and file when either is missing, is not PEM, or the
   *     key does not belong to the certificate
   */
  public static ServerTls load(Path certFile, Path keyFile) {
    if (certFile == null || keyFile == null) {
      throw new TlsConfigException(
          "TLS needs both "
              + CERT_FLAG
              + " and "
              + KEY_FLAG
              + " (or FLOTILLA_TLS_CERT and FLOTILLA_TLS_KEY); "
              + (certFile == null ? CERT_FLAG : KEY_FLAG)
              + " is missing");
    }
    List<X509Certificate> chain = Pem.certificates(certFile, CERT_FLAG);
    PrivateKey key = Pem.privateKey(keyFile, KEY_FLAG);
    Pem.requireMatch(chain.get(0), key, certFile, keyFile);
    return new ServerTls(certFile, keyFile, chain.get(0), Pem.keyManagers(chain, key));
  }

  /** For Vert.x {@code HttpServerOptions.setKeyCertOptions}. */
  public KeyCertOptions keyCertOptions() {
    return KeyCertOptions.wrap(keyManagers);
  }

  /** For grpc-java's {@code NettyServerBuilder.forAddress(address, credentials)}. */
  public ServerCredentials grpcCredentials() {
    return TlsServerCredentials.newBuilder().keyManager(keyManagers.getKeyManagers()).build();
  }

  public Path certFile() {
    return certFile;
  }

  public Path keyFile() {
    return keyFile;
  }

  /** The subject of the served certificate, for the start-up line. */
  public String subject() {
    return leaf.getSubjectX500Principal().getName();
  }

  /**
   * The warning to print when the server listens beyond this machine without TLS: join tokens, API
   * tokens and Application specs would cross the network in clear text.
   */
  public static Optional<String> plaintextWarning(String bindHost, ServerTls tls) {
    if (tls != null || isLoopback(bindHost)) {
      return Optional.empty();
    }
    return Optional.of(
        "warning: listening on "
            + bindHost
            + " without TLS: API and agent tokens cross the network in clear text; pass "
            + CERT_FLAG
            + " and "
            + KEY_FLAG
            + " to serve HTTPS and gRPC over TLS");
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
