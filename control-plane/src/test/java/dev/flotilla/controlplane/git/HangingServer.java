package dev.flotilla.controlplane.git;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Git server that accepts connections and never finishes answering: silent, or (with {@code
 * headersThenStall}) sending HTTP headers of a smart-HTTP answer and then nothing.
 */
public final class HangingServer implements AutoCloseable {

  private final ServerSocket socket;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public HangingServer(boolean headersThenStall) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  Socket s = socket.accept();
                  accepted.add(s);
                  if (headersThenStall) {
                    s.getOutputStream()
                        .write(
                            ("HTTP/1.1 200 OK\r\n"
                                    + "Content-Type: application/x-git-upload-pack-advertisement\r\n"
                                    + "Transfer-Encoding: chunked\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                  }
                } catch (IOException e) {
                  return;
                }
              }
            },
            "hanging-git-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url(String name) {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/" + name;
  }

  /** Connections accepted so far (each one is a Git request left hanging). */
  public int accepted() {
    return accepted.size();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
