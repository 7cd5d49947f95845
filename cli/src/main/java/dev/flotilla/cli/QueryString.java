package dev.flotilla.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds {@code ?a=1&b=2} from optional values, each encoded, so what a user types is always sent
 * as one value and never changes the request's shape. Paths are built by {@link ApiClient#path}.
 */
final class QueryString {

  private final StringBuilder query = new StringBuilder();

  /** Adds {@code name=value} unless {@code value} is null. */
  QueryString add(String name, Object value) {
    if (value != null) {
      query.append(query.length() == 0 ? '?' : '&').append(name).append('=').append(encode(value));
    }
    return this;
  }

  QueryString copy() {
    QueryString copy = new QueryString();
    copy.query.append(query);
    return copy;
  }

  @Override
  public String toString() {
    return query.toString();
  }

  private static String encode(Object value) {
    return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
  }
}
