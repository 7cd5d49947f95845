package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.identity.AuditRecord;
import java.util.List;

/**
 * The Audit page: one page of the log, newest first.
 *
 * @param actor the actor filter, as typed
 * @param next the link to the next page; empty on the last one
 * @param error why the filter or page was refused; empty when it was not
 */
public record AuditModel(
    PageChrome chrome, List<AuditRecord> entries, String actor, String next, String error) {}
