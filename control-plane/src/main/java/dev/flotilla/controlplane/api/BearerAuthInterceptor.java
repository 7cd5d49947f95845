package dev.flotilla.controlplane.api;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.rest.AdminToken;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Requires {@code authorization: Bearer <token>} on every platform API call, before any handler
 * runs. (The agent service authenticates with its own hello instead.)
 */
final class BearerAuthInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final AdminToken adminToken;

  BearerAuthInterceptor(AdminToken adminToken) {
    this.adminToken = adminToken;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!adminToken.accepts(headers.get(AUTHORIZATION))) {
      call.close(
          Status.UNAUTHENTICATED.withDescription(
              "missing or invalid bearer token (metadata 'authorization: Bearer <token>')"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(Callers.GRPC_KEY, Caller.SYSTEM), call, headers, next);
  }
}
