package dev.flotilla.controlplane.api;

import dev.flotilla.controlplane.ApiException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps refusals to the documented gRPC codes and completes unary calls from Vert.x futures. */
public final class GrpcErrors {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(Throwable e) {
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof ApiException api) {
      Status status =
          switch (api.kind()) {
            case INVALID -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case EXISTS -> Status.ALREADY_EXISTS;
            case PRECONDITION -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case FORBIDDEN -> Status.PERMISSION_DENIED;
            case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
          };
      return status.withDescription(api.getMessage()).asRuntimeException();
    }
    if (e instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    LOG.warn("platform API call failed", e);
    return Status.INTERNAL.withDescription("internal error").asRuntimeException();
  }

  /**
   * As {@link #reply(Future, Function, StreamObserver)}, for a call that checks its request while
   * building the future: a bad argument thrown then is answered like any other refusal.
   */
  public static <T, R> void replyChecked(
      Supplier<Future<T>> call, Function<T, R> toProto, StreamObserver<R> observer) {
    Future<T> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      observer.onError(toStatus(e));
      return;
    }
    reply(future, toProto, observer);
  }

  /** Completes {@code observer} with {@code future}'s result mapped by {@code toProto}. */
  public static <T, R> void reply(
      Future<T> future, Function<T, R> toProto, StreamObserver<R> observer) {
    future.onComplete(
        ar -> {
          if (ar.failed()) {
            observer.onError(toStatus(ar.cause()));
            return;
          }
          R message;
          try {
            message = toProto.apply(ar.result());
          } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
          }
          observer.onNext(message);
          observer.onCompleted();
        });
  }
}
