package dev.flotilla.git;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * JGit's smart-HTTP server in Jetty on loopback, serving repositories under a directory, with HTTP
 * basic auth for one user.
 */
final class HttpGitServer implements AutoCloseable {

  private final Server server;
  private final AtomicInteger refused = new AtomicInteger();

  HttpGitServer(Path repositories, String user, String password) throws Exception {
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
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
          } catch (IOException e) {
            throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
          }
        });
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(git), "/git/*");
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    context.addFilter(
        new FilterHolder(new BasicAuth(expected)), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
  }

  /** The URL of {@code name}, e.g. http://127.0.0.1:PORT/git/apps.git. */
  String url(String name) {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return "http://"
        + InetAddress.getLoopbackAddress().getHostAddress()
        + ":"
        + port
        + "/git/"
        + name;
  }

  /** Requests refused for wrong or missing credentials. */
  int refused() {
    return refused.get();
  }

  @Override
  public void close() throws Exception {
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
}
