package dev.flotilla.controlplane.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.Map;

/**
 * Refuses a request whose string fields hold a NUL character with INVALID_ARGUMENT naming the
 * field: Postgres cannot store NUL in text, and the call would otherwise fail as an internal error.
 * One check for every method, as the REST API has one for every body.
 */
final class NulFreeInterceptor implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> delegate = next.startCall(call, headers);
    return new SimpleForwardingServerCallListener<>(delegate) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        String field = message instanceof Message m ? fieldWithNul(m, "") : null;
        if (field != null) {
          refused = true;
          call.close(
              Status.INVALID_ARGUMENT.withDescription(
                  field + ": contains a NUL character (\\u0000), which is not allowed"),
              new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }

  /** The path of the first string (or map key) holding NUL, or null when there is none. */
  static String fieldWithNul(Message message, String prefix) {
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      String path = prefix + e.getKey().getName();
      Object value = e.getValue();
      String found = value instanceof List<?> list ? inList(list, path) : inValue(value, path);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String inList(List<?> list, String path) {
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      // A map field is a list of entries with a key and a value.
      if (item instanceof Message entry
          && entry.getDescriptorForType().getOptions().getMapEntry()) {
        Object key = entry.getField(entry.getDescriptorForType().findFieldByName("key"));
        String at = path + "[" + key + "]";
        if (key instanceof String s && s.indexOf('\0') >= 0) {
          return path + " key";
        }
        String found =
            inValue(entry.getField(entry.getDescriptorForType().findFieldByName("value")), at);
        if (found != null) {
          return found;
        }
      } else {
        String found = inValue(item, path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String inValue(Object value, String path) {
    if (value instanceof String s) {
      return s.indexOf('\0') >= 0 ? path : null;
    }
    if (value instanceof Message m) {
      return fieldWithNul(m, path + ".");
    }
    return null;
  }
}
