package dev.flotilla.controlplane.access;

import io.grpc.Context;
import io.vertx.ext.web.RoutingContext;

/**
 * Where each entry point keeps the authenticated {@link Caller} of the request in flight: REST in
 * the routing context, gRPC in the call's {@link Context}. Both are filled before any handler runs;
 * a handler that finds none is a wiring bug, not an anonymous request.
 */
public final class Callers {

  static final String ROUTING_KEY = "flotilla.caller";

  /** The caller of the current gRPC call, set by the authentication interceptor. */
  public static final Context.Key<Caller> GRPC_KEY = Context.key("flotilla.caller");

  private Callers() {}

  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(ROUTING_KEY);
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller on " + ctx.request().path());
    }
    return caller;
  }

  public static void put(RoutingContext ctx, Caller caller) {
    ctx.put(ROUTING_KEY, caller);
  }

  /** The caller of the gRPC call running on this thread. */
  public static Caller current() {
    Caller caller = GRPC_KEY.get();
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller in this gRPC context");
    }
    return caller;
  }
}
