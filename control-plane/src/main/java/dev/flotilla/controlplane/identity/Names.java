package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.rest.Http;
import java.util.regex.Pattern;

/**
 * Checks on names and free text where they enter, whatever the entry point (REST, gRPC, CLI through
 * REST). Values are stored verbatim or refused, never altered. A name ends up in URLs, policy
 * lines, file names and terminals, so names are held to a small alphabet: a name like {@code
 * ../clusters/c2}, SQL text or an escape sequence is refused with a message naming the field and
 * the rule. Free text (descriptions, display names) may hold anything Postgres can store.
 */
public final class Names {

  static final int MAX_NAME = 253;
  static final int MAX_TEXT = 1024;

  /**
   * Kubernetes' DNS-1123 subdomain (lowercase RFC 1123), which the API server requires of every
   * object name and therefore of Argo CD's ApplicationSets, Applications and AppProjects.
   */
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A user or team: letters, digits and {@code - _ . @} (e-mail addresses fit), no {@code ..}. */
  private static final Pattern ACCOUNT =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.@]*[A-Za-z0-9])?");

  public static final String DNS_SUBDOMAIN_RULE =
      "must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting"
          + " and ending with a letter or digit (e.g. 'web-prod')";

  public static final String ACCOUNT_RULE =
      "must be at most 253 ASCII letters, digits, '-', '_', '.' and '@', starting and ending with a"
          + " letter or digit, without '..' (e.g. 'alice' or 'alice@example.com')";

  private Names() {}

  /**
   * An ApplicationSet, Application or AppProject name, as Kubernetes and Argo CD require.
   *
   * @throws IllegalArgumentException naming {@code field} and the rule
   */
  public static String requireDnsSubdomain(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + ": is empty; it " + DNS_SUBDOMAIN_RULE);
    }
    if (value.length() > MAX_NAME || !DNS_SUBDOMAIN.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + ": '" + printable(value) + "' is not a valid name: it " + DNS_SUBDOMAIN_RULE);
    }
    return value;
  }

  /** {@code text} cut to 80 characters, control characters shown as escapes. */
  static String printable(String text) {
    return Http.printable(text.length() > 80 ? text.substring(0, 80) + "..." : text);
  }

  /**
   * A user or team name as policy lines, URLs and terminals use it. The first checks name the
   * specific danger (a comma or quote would split a policy line, a {@code role:} prefix would make
   * the name a role); the last one is the whole rule, {@link #ACCOUNT_RULE}.
   */
  public static String requireName(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + ": is empty");
    }
    if (value.length() > MAX_NAME) {
      throw new IllegalArgumentException(field + ": longer than " + MAX_NAME + " characters");
    }
    if (!value.equals(value.strip())) {
      throw new IllegalArgumentException(field + ": starts or ends with a blank");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + ": contains a control character");
    }
    if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0) {
      throw new IllegalArgumentException(field + ": may not contain ',' or '\"'");
    }
    if (value.startsWith("role:") || value.startsWith("proj:")) {
      throw new IllegalArgumentException(field + ": may not start with 'role:' or 'proj:'");
    }
    if (!ACCOUNT.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException(
          field + ": '" + printable(value) + "' is not a valid name: it " + ACCOUNT_RULE);
    }
    return value;
  }

  /** Free text: anything Postgres can store (no NUL), bounded. */
  static String requireText(String field, String value) {
    if (value == null) {
      return "";
    }
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(field + ": longer than " + MAX_TEXT + " characters");
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(field + ": contains a NUL character");
    }
    return value;
  }
}
