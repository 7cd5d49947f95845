package dev.flotilla.controlplane.identity;

import java.time.OffsetDateTime;

public record Team(String name, String description, OffsetDateTime createdAt) {}
