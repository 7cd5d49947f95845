package dev.flotilla.controlplane.identity;

import java.time.OffsetDateTime;

public record User(String name, String displayName, OffsetDateTime createdAt) {}
