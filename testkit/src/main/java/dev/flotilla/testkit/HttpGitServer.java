package dev.flotilla.testkit;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * JGit's smart-HTTP server in Jetty on loopback, serving the repositories under a directory (bare
 * ones, or work trees such as a {@link TestRepo}), optionally behind HTTP basic auth for one user.
 *
 * <p>While {@link #hold()} is in force, answers that list refs (protocol v0 and v2 alike) are
 * computed at once but delivered only at {@link #release()}: a fetch then sees the branches as they
 * were when it asked, however late it ends.
 */
public final class HttpGitServer implements AutoCloseable {

  private final Server server;
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private volatile CountDownLatch gate;

  /** Serves {@code repositories} to anybody. */
  public HttpGitServer(Path repositories) throws Exception {
    this(repositories, null);
  }

  /** Serves {@code repositories} only to {@code user} with {@code password}. */
  public HttpGitServer(Path repositories, String user, String password) throws Exception {
    this(
        repositories,
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private HttpGitServer(Path repositories, String expectedAuthorization) throws Exception {
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
            throw new RepositoryNotFoundException(name);
          }
          // A work tree keeps its repository in .git; a bare repository is the directory itself.
          Path gitDir = Files.isDirectory(dir.resolve(".git")) ? dir.resolve(".git") : dir;
          try {
            return new FileRepositoryBuilder()
                .setGitDir(gitDir.toFile())
                .setMustExist(true)
                .build();
          } catch (IOException e) {
            throw new RepositoryNotFoundException(name, e);
          }
        });
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(git), "/git/*");
    if (expectedAuthorization != null) {
      context.addFilter(
          new FilterHolder(new BasicAuth(expectedAuthorization)),
          "/*",
          EnumSet.of(DispatcherType.REQUEST));
    }
    context.addFilter(new FilterHolder(new Holding()), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
  }

  /**
   * The URL of {@code name} under the served directory, e.g. http://127.0.0.1:PORT/git/apps.git.
   */
  public String url(String name) {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return "http://"
        + InetAddress.getLoopbackAddress().getHostAddress()
        + ":"
        + port
        + "/git/"
        + name;
  }

  /** Requests refused for wrong or missing credentials. */
  public int refused() {
    return refused.get();
  }

  /** From now on, answers that list refs wait for {@link #release()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  /** Answers computed but not yet delivered. */
  public int held() {
    return held.get();
  }

  public void release() {
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

  private final class BasicAuth implements Filter {
    private final String expected;

    BasicAuth(String expected) {
      this.expected = expected;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      String given = ((HttpServletRequest) request).getHeader("Authorization");
      if (!expected.equals(given)) {
        refused.incrementAndGet();
        HttpServletResponse res = (HttpServletResponse) response;
        res.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
        res.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        return;
      }
      chain.doFilter(request, response);
    }
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
      if (!new String(body, StandardCharsets.ISO_8859_1).contains("refs/heads/")) {
        response.getOutputStream().write(body);
        return;
      }
      // A Jetty thread of this test server waits here, never a thread of the code under test.
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
