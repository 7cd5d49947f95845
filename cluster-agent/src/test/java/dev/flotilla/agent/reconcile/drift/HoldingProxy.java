package dev.flotilla.agent.reconcile.drift;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of an API server that can hang requests the way a wedged server or network
 * does: a connection whose request line names a held path stops forwarding (the request is never
 * answered), and {@link #stallOpenConnections()} freezes every connection open now (a watch that
 * stalls without closing) while new ones pass. HTTP/1.1 clients send one request at a time per
 * connection, so holding a connection holds exactly that request.
 */
public final class HoldingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<String> heldPaths = new CopyOnWriteArrayList<>();
  private final List<String> heldWritePaths = new CopyOnWriteArrayList<>();
  private final Set<Pipe> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger held = new AtomicInteger();

  public HoldingProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** From now on, requests whose path starts with {@code path} are never answered. */
  public void hold(String path) {
    heldPaths.add(path);
  }

  /**
   * From now on, writes (every method but GET) to paths starting with {@code path} are never
   * answered; reads of the same object still are.
   */
  public void holdWrites(String path) {
    heldWritePaths.add(path);
  }

  /** Requests are answered again (those held so far stay held until their client gives up). */
  public void releaseAll() {
    heldPaths.clear();
    heldWritePaths.clear();
  }

  /** How many requests were held so far. */
  public int heldRequests() {
    return held.get();
  }

  /** Every connection open now stops forwarding in both directions, silently. */
  void stallOpenConnections() {
    open.forEach(p -> p.stalled = true);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket target = new Socket();
        target.connect(upstream);
        Pipe pipe = new Pipe(client, target);
        open.add(pipe);
        threads.execute(() -> pipe.pump(client, target, true));
        threads.execute(() -> pipe.pump(target, client, false));
      } catch (IOException e) {
        return;
      }
    }
  }

  private final class Pipe {
    final Socket client;
    final Socket target;
    volatile boolean stalled;

    Pipe(Socket client, Socket target) {
      this.client = client;
      this.target = target;
    }

    void pump(Socket from, Socket to, boolean request) {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (request && !stalled && isHeld(new String(buf, 0, n, StandardCharsets.ISO_8859_1))) {
            held.incrementAndGet();
            stalled = true;
          }
          if (stalled) {
            continue; // swallowed: the server never sees it, the client never hears back
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        close();
      }
    }

    private boolean isHeld(String chunk) {
      int lineEnd = chunk.indexOf("\r\n");
      String line = lineEnd < 0 ? chunk : chunk.substring(0, lineEnd);
      String[] parts = line.split(" ");
      return parts.length >= 2
          && (heldPaths.stream().anyMatch(parts[1]::startsWith)
              || (!parts[0].equals("GET")
                  && heldWritePaths.stream().anyMatch(parts[1]::startsWith)));
    }

    void close() {
      open.remove(this);
      try {
        client.close();
      } catch (IOException e) {
        // closing anyway
      }
      try {
        target.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(Pipe::close);
    threads.shutdownNow();
  }
}
