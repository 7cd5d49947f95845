package dev.flotilla.controlplane.api;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requires {@code authorization: Bearer <token>} on every platform API call and puts the caller in
 * the call's context before any handler runs. (The agent service authenticates with its own hello
 * instead.) The token lookup waits on gRPC's own executor, never on a Vert.x event loop.
 */
final class BearerAuthInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final AccessControl access;

  BearerAuthInterceptor(AccessControl access) {
    this.access = access;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Caller caller;
    try {
      caller =
          access
              .authenticate(headers.get(AUTHORIZATION))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      call.close(GrpcErrors.toStatus(e.getCause()).getStatus(), new Metadata());
      return new ServerCall.Listener<>() {};
    } catch (TimeoutException e) {
      call.close(
          Status.UNAVAILABLE.withDescription("authentication timed out; try again"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.close(Status.CANCELLED.withDescription("interrupted"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(Callers.GRPC_KEY, caller), call, headers, next);
  }
}
