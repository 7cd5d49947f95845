package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.replica.ReplicaEvent;
import io.vertx.core.Future;

/**
 * How a dispatcher reaches the agents connected to other control-plane replicas: through the
 * replicas' event log. {@link #NONE} is for a dispatcher that is alone (tests).
 */
public interface AgentRelay {

  AgentRelay NONE =
      new AgentRelay() {
        @Override
        public Future<Boolean> connectedElsewhere(String cluster) {
          return Future.succeededFuture(false);
        }

        @Override
        public Future<Void> publish(ReplicaEvent event) {
          return Future.succeededFuture();
        }
      };

  /** Whether the cluster's agent holds a stream to another live replica. */
  Future<Boolean> connectedElsewhere(String cluster);

  /** Tells every other replica; completes once written. */
  Future<Void> publish(ReplicaEvent event);
}
