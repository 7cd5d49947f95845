package dev.flotilla.git;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server on loopback that accepts every connection and never answers: a hung Git server. */
final class HangingServer implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  HangingServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(server.accept());
                }
              } catch (IOException closed) {
                // close() ends the loop.
              }
            },
            "hanging-git-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code scheme}://127.0.0.1:PORT/repo.git, e.g. for "http" or "ssh". */
  String url(String scheme) {
    return scheme
        + "://"
        + (scheme.equals("ssh") ? "git@" : "")
        + server.getInetAddress().getHostAddress()
        + ":"
        + server.getLocalPort()
        + "/repo.git";
  }

  int accepted() {
    return accepted.size();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
