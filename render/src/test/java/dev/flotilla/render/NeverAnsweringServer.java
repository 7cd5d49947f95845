package dev.flotilla.render;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server on loopback that accepts every connection and never answers: what a remote Kustomize
 * base or a Git server looks like when it hangs.
 */
public final class NeverAnsweringServer implements AutoCloseable {

  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public NeverAnsweringServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "never-answering-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** http://127.0.0.1:PORT{@code path} */
  public String url(String path) {
    return "http://127.0.0.1:" + socket.getLocalPort() + path;
  }

  /** How many connections were accepted (and left unanswered) so far. */
  public int accepted() {
    return held.size();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        held.add(socket.accept());
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
