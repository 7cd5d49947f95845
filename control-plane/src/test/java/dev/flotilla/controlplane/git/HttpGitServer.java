package dev.flotilla.controlplane.git;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * JGit's smart-HTTP server in Jetty on loopback, serving the repositories under a directory. While
 * {@link #hold()} is in force, answers that list refs (protocol v0 and v2 alike) are computed at
 * once but delivered only at {@link #release()}: a fetch then sees the branches as they were when
 * it asked, however late it ends.
 */
final class HttpGitServer implements AutoCloseable {

  private final Server server;
  private volatile CountDownLatch gate;
  private final AtomicInteger held = new AtomicInteger();

  HttpGitServer(Path repositories) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    connector.setPort(0);
    server.addConnector(connector);
    GitServlet git = new GitServlet();
    git.setRepositoryResolver(
        (req, name) -> {
          Path dir = repositories.resolve(name).normalize();
          if (!dir.startsWith(repositories)) {
            throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name);
          }
          try {
            return new FileRepositoryBuilder()
                .setGitDir(dir.resolve(".git").toFile())
                .setMustExist(true)
                .build();
          } catch (IOException e) {
            throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
          }
        });
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(git), "/git/*");
    context.addFilter(new FilterHolder(new Holding()), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
  }

  /** The URL of the work tree repository {@code name} under the served directory. */
  String url(String name) {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return "http://"
        + InetAddress.getLoopbackAddress().getHostAddress()
        + ":"
        + port
        + "/git/"
        + name;
  }

  /** From now on, answers wait for {@link #release()}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  /** Answers computed but not yet delivered. */
  int held() {
    return held.get();
  }

  void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  @Override
  public void close() throws Exception {
    release();
    server.stop();
  }

  private final class Holding implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      CountDownLatch g = gate;
      if (g == null) {
        chain.doFilter(request, response);
        return;
      }
      Buffered buffered = new Buffered((HttpServletResponse) response);
      chain.doFilter(request, buffered);
      byte[] body = buffered.bytes.toByteArray();
      if (!new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).contains("refs/heads/")) {
        response.getOutputStream().write(body);
        return;
      }
      held.incrementAndGet();
      try {
        g.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      held.decrementAndGet();
      response.getOutputStream().write(body);
    }
  }

  /** Keeps the body in memory; status and headers go straight to the real response. */
  private static final class Buffered extends HttpServletResponseWrapper {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Buffered(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return new ServletOutputStream() {
        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}

        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes.write(b, off, len);
        }
      };
    }

    @Override
    public PrintWriter getWriter() {
      return new PrintWriter(bytes, true);
    }

    @Override
    public void flushBuffer() {}

    @Override
    public void setContentLength(int len) {}

    @Override
    public void setContentLengthLong(long len) {}
  }
}
