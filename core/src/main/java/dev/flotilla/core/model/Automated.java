package dev.flotilla.core.model;

/**
 * Argo CD's {@code syncPolicy.automated}.
 *
 * @param enabled Argo CD's {@code enabled}; null when absent, which means enabled
 */
public record Automated(boolean prune, boolean selfHeal, boolean allowEmpty, Boolean enabled) {

  public boolean isEnabled() {
    return enabled == null || enabled;
  }
}
