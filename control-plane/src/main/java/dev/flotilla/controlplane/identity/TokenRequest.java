package dev.flotilla.controlplane.identity;

import java.time.Instant;

/**
 * What a new API token is for: a user ({@code user}, null meaning the caller) or a project role
 * ({@code project} with {@code role}).
 *
 * @param expiresAt when it stops working; null for never
 */
public record TokenRequest(
    String user, String project, String role, String description, Instant expiresAt) {}
