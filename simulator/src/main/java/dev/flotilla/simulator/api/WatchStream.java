package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectRules;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.StoreException;
import dev.flotilla.simulator.store.WatchEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code ?watch=true}: a chunked stream of {@code {"type":..., "object":...}} lines. Without a
 * resourceVersion (or with "0") it starts with an ADDED event per existing object; with one it
 * replays what happened since, or sends a 410 Expired ERROR event when that is too old, as a real
 * server does. Bookmarks when allowed; ends after timeoutSeconds (30 minutes at most).
 */
final class WatchStream {

  private static final long MAX_TIMEOUT_SECONDS = 1800;

  private final Vertx vertx;
  private final ObjectStore store;
  private final ApiServerOptions options;
  private final TableConverter tables;

  WatchStream(Vertx vertx, ObjectStore store, ApiServerOptions options) {
    this.vertx = vertx;
    this.store = store;
    this.options = options;
    this.tables = new TableConverter(options.clock());
  }

  void start(Call call, Predicate<ObjectNode> filter) {
    HttpServerRequest req = call.req();
    String rvParam = req.getParam("resourceVersion");
    long timeout = ResourceHandler.intParam(req, "timeoutSeconds", (int) MAX_TIMEOUT_SECONDS);
    boolean bookmarks = "true".equals(req.getParam("allowWatchBookmarks"));
    boolean table = TableConverter.wanted(req.getHeader("Accept"));
    long since = -1;
    if (rvParam != null && !rvParam.isEmpty() && !rvParam.equals("0")) {
      try {
        since = Long.parseLong(rvParam);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("resourceVersion must be a number: " + rvParam);
      }
    }
    long from = since;
    String upgrade = req.getHeader("Upgrade");
    if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
      // fabric8 (and client-go's websocket mode) watch over a WebSocket: one event per message
      req.toWebSocket()
          .onSuccess(ws -> begin(call, filter, table, from, timeout, bookmarks, new SocketSink(ws)))
          .onFailure(e -> req.response().setStatusCode(400).end());
      return;
    }
    HttpServerResponse response = req.response();
    response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
    // clients wait for the headers to know the watch is established
    response.writeHead();
    begin(call, filter, table, from, timeout, bookmarks, new ResponseSink(response));
  }

  private void begin(
      Call call,
      Predicate<ObjectNode> filter,
      boolean table,
      long from,
      long timeout,
      boolean bookmarks,
      Sink sink) {
    Stream stream = new Stream(call, filter, table, sink);
    long since = from;
    if (since < 0) {
      since = store.resourceVersion();
      for (ObjectNode o : store.list(call.type(), call.target().namespace(), filter)) {
        stream.send("ADDED", o);
      }
    }
    stream.lastRv = since;
    try {
      stream.handle = store.watch(call.type(), since, stream::onEvent);
    } catch (StoreException.Expired e) {
      ObjectNode status = Replies.status(410, "Expired", e.getMessage(), null, null, null);
      stream.write(Replies.bytes(event("ERROR", status)).appendString("\n"));
      sink.end();
      return;
    }
    long timer =
        vertx.setTimer(
            Math.max(1, Math.min(timeout, MAX_TIMEOUT_SECONDS)) * 1000, id -> stream.stop());
    long periodic =
        bookmarks
            ? vertx.setPeriodic(
                options.bookmarkInterval().toMillis(),
                id -> {
                  if (stream.stopped) {
                    vertx.cancelTimer(id);
                  } else {
                    stream.bookmark();
                  }
                })
            : -1;
    stream.timers = new long[] {timer, periodic};
    sink.onClose(stream::stop);
  }

  /** Where a watch's events go: a chunked response or a WebSocket. */
  private interface Sink {
    void write(Buffer line);

    boolean full();

    boolean gone();

    void end();

    void onClose(Runnable action);
  }

  private record ResponseSink(HttpServerResponse response) implements Sink {
    public void write(Buffer line) {
      response.write(line);
    }

    public boolean full() {
      return response.writeQueueFull();
    }

    public boolean gone() {
      return response.ended() || response.closed();
    }

    public void end() {
      if (!gone()) {
        response.end();
      }
    }

    public void onClose(Runnable action) {
      response.closeHandler(v -> action.run());
    }
  }

  private record SocketSink(ServerWebSocket socket) implements Sink {
    public void write(Buffer line) {
      socket.writeTextMessage(line.toString(StandardCharsets.UTF_8).trim());
    }

    public boolean full() {
      return socket.writeQueueFull();
    }

    public boolean gone() {
      return socket.isClosed();
    }

    public void end() {
      if (!gone()) {
        socket.close();
      }
    }

    public void onClose(Runnable action) {
      socket.closeHandler(v -> action.run());
    }
  }

  private static ObjectNode event(String type, JsonNode object) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("type", type);
    e.set("object", object);
    return e;
  }

  /** One open watch. Listener calls are serialised by the store; writes hop to the event loop. */
  private final class Stream {
    private final Call call;
    private final Predicate<ObjectNode> filter;
    private final boolean table;
    private final Context context = Vertx.currentContext();
    private final Sink sink;
    private final Set<String> matching = new HashSet<>();
    private final boolean knowsAll;
    private AutoCloseable handle;
    private long[] timers = new long[0];
    private long lastRv;
    private boolean stopped;

    Stream(Call call, Predicate<ObjectNode> filter, boolean table, Sink sink) {
      this.call = call;
      this.filter = filter;
      this.table = table;
      this.sink = sink;
      String rv = call.req().getParam("resourceVersion");
      this.knowsAll = rv == null || rv.isEmpty() || rv.equals("0");
    }

    void onEvent(WatchEvent e) {
      ObjectNode o = e.object();
      long rv = Long.parseLong(ResourceHandler.rv(o));
      String ns = call.target().namespace();
      String key = ObjectRules.namespace(o) + "/" + ObjectRules.name(o);
      String type = null;
      boolean inScope = ns == null || ns.equals(ObjectRules.namespace(o));
      if (inScope) {
        boolean matches =
            e.type() == WatchEvent.Type.DELETED
                ? matching.contains(key) || filter.test(o)
                : filter.test(o);
        switch (e.type()) {
          case ADDED -> type = matches ? "ADDED" : null;
          case DELETED -> type = matches ? "DELETED" : null;
          case MODIFIED -> {
            if (matches) {
              type = matching.contains(key) || !knowsAll ? "MODIFIED" : "ADDED";
            } else if (matching.contains(key)) {
              type = "DELETED"; // it left the selection
            }
          }
        }
        if (type != null && !type.equals("DELETED")) {
          matching.add(key);
        } else if (type != null) {
          matching.remove(key);
        }
      }
      Buffer line = type == null ? null : line(type, o);
      context.runOnContext(
          v -> {
            lastRv = Math.max(lastRv, rv);
            if (line != null) {
              write(line);
            }
          });
    }

    void send(String type, ObjectNode o) {
      matching.add(ObjectRules.namespace(o) + "/" + ObjectRules.name(o));
      write(line(type, o));
    }

    private Buffer line(String type, ObjectNode o) {
      JsonNode object =
          table
              ? tables.table(
                  call.type(),
                  List.of(o),
                  call.req().getParam("includeObject"),
                  ResourceHandler.rv(o),
                  null)
              : o;
      return Replies.bytes(event(type, object)).appendString("\n");
    }

    void bookmark() {
      ResourceType t = call.type();
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("kind", t.kind());
      o.put("apiVersion", t.apiVersion());
      o.putObject("metadata").put("resourceVersion", Long.toString(lastRv));
      write(Replies.bytes(event("BOOKMARK", o)).appendString("\n"));
    }

    void write(Buffer line) {
      if (stopped || sink.gone()) {
        return;
      }
      if (sink.full()) {
        // a client that does not read would make the server buffer without end: drop it, as
        // a real server does; it will re-watch from its last resourceVersion
        stop();
        return;
      }
      sink.write(line);
    }

    void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      for (long t : timers) {
        if (t >= 0) {
          vertx.cancelTimer(t);
        }
      }
      try {
        if (handle != null) {
          handle.close();
        }
      } catch (Exception e) {
        // closing a store watch does not fail
      }
      sink.end();
    }
  }
}
