package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityProtos.orNull;
import static dev.flotilla.controlplane.identity.IdentityProtos.protoFieldNames;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.proto.api.v1.CreateTokenRequest;
import dev.flotilla.proto.api.v1.CreateTokenResponse;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.ListTokensRequest;
import dev.flotilla.proto.api.v1.ListTokensResponse;
import dev.flotilla.proto.api.v1.TokenId;
import dev.flotilla.proto.api.v1.TokenServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code flotilla.api.v1.TokenService} over the same {@link TokenService} as REST. Only {@code
 * Create} answers a token's secret; listed tokens carry what {@link ApiToken} holds, never it.
 */
public final class TokenGrpcService extends TokenServiceGrpc.TokenServiceImplBase {

  private final TokenService tokens;
  private final Clock clock;

  public TokenGrpcService(TokenService tokens, Clock clock) {
    this.clock = clock;
    this.tokens = tokens;
  }

  @Override
  public void create(CreateTokenRequest r, StreamObserver<CreateTokenResponse> out) {
    GrpcErrors.replyChecked(
        () ->
            protoFieldNames(
                tokens.create(
                    Callers.current(),
                    new TokenRequest(
                        orNull(r.getUser()),
                        orNull(r.getProject()),
                        orNull(r.getRole()),
                        r.getDescription(),
                        expiry(r)))),
        c ->
            CreateTokenResponse.newBuilder()
                .setApiToken(IdentityProtos.token(c.token()))
                .setToken(c.plaintext())
                .build(),
        out);
  }

  private Instant expiry(CreateTokenRequest r) {
    if (!r.getExpiresIn().isEmpty() && r.hasExpiresAt()) {
      throw ApiException.invalid("expires_in: give either expires_in or expires_at, not both");
    }
    if (r.hasExpiresAt()) {
      return IdentityProtos.instant("expires_at", r.getExpiresAt());
    }
    return TokenExpiry.after(clock.instant(), orNull(r.getExpiresIn()), "expires_in");
  }

  @Override
  public void list(ListTokensRequest r, StreamObserver<ListTokensResponse> out) {
    GrpcErrors.replyChecked(
        () ->
            tokens.list(
                Callers.current(),
                orNull(r.getUser()),
                orNull(r.getProject()),
                PageRequest.of(r.getPageSize(), r.getPageToken(), "page_size")),
        p ->
            ListTokensResponse.newBuilder()
                .addAllTokens(p.items().stream().map(IdentityProtos::token).toList())
                .setNextPageToken(p.nextPageToken())
                .build(),
        out);
  }

  @Override
  public void revoke(TokenId r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        tokens.revoke(Callers.current(), r.getId()), v -> Empty.getDefaultInstance(), out);
  }
}
