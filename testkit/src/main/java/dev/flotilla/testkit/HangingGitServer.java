package dev.flotilla.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A "Git server" on loopback that accepts every TCP connection and never sends a byte: what a hung
 * server or a black-holing proxy looks like to a client, which must give up at its read timeout.
 */
public final class HangingGitServer implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  public HangingGitServer() throws IOException {
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

  /** {@code scheme}://127.0.0.1:PORT/{@code name}, e.g. for "http" or "ssh" (as user git). */
  public String url(String scheme, String name) {
    return scheme
        + "://"
        + (scheme.equals("ssh") ? "git@" : "")
        + server.getInetAddress().getHostAddress()
        + ":"
        + server.getLocalPort()
        + "/"
        + name;
  }

  /** How many connections it has accepted (and left unanswered). */
  public int accepted() {
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
