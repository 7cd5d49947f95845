package dev.flotilla.agent.reconcile.plan;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.util.Optional;

/**
 * Why a sync writes nothing at all.
 *
 * @param rule which safety rule refused
 * @param object the object that caused it, when one did (an ownership conflict); empty for a rule
 *     about the whole Application (the empty-render guard)
 * @param reason a sentence naming what is wrong and, where there is one, how to allow it
 */
public record Refusal(Rule rule, Optional<ObjectKey> object, String reason) {

  /** The safety rules that refuse a whole sync. */
  public enum Rule {
    /** A desired object is live and tracked by another Application: never adopt it. */
    OWNED_BY_ANOTHER_APPLICATION,
    /** The render came back empty while the Application owns objects: never prune everything. */
    EMPTY_RENDER
  }
}
