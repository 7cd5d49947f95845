package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityProtos.protoFieldNames;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.Policy;
import dev.flotilla.proto.api.v1.PolicyServiceGrpc;
import dev.flotilla.proto.api.v1.ReplacePolicyRequest;
import io.grpc.stub.StreamObserver;

/** {@code flotilla.api.v1.PolicyService} over the same {@link PolicyService} as REST. */
public final class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {

  private final PolicyService policies;

  public PolicyGrpcService(PolicyService policies) {
    this.policies = policies;
  }

  @Override
  public void get(Empty r, StreamObserver<Policy> out) {
    GrpcErrors.reply(policies.get(Callers.current()), IdentityProtos::policy, out);
  }

  @Override
  public void replace(ReplacePolicyRequest r, StreamObserver<Policy> out) {
    GrpcErrors.reply(
        protoFieldNames(
            policies.replace(
                Callers.current(), r.getPolicy(), r.hasDefaultRole() ? r.getDefaultRole() : null)),
        IdentityProtos::policy,
        out);
  }
}
