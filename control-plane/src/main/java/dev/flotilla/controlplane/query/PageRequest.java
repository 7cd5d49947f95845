package dev.flotilla.controlplane.query;

import dev.flotilla.controlplane.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list sorted by name: at most {@code size} items after the name {@code after}. The
 * page token is simply the last name of the previous page, so pages stay stable while objects are
 * added or removed elsewhere in the list.
 */
public record PageRequest(int size, String after) {

  public static final int DEFAULT_SIZE = 100;
  public static final int MAX_SIZE = 1000;

  public static final PageRequest ALL = new PageRequest(Integer.MAX_VALUE, "");

  /**
   * From request parameters; {@code size} null or 0 means the default.
   *
   * @param sizeField how errors name the size parameter ({@code limit}, {@code page_size})
   */
  public static PageRequest of(Integer size, String token, String sizeField) {
    if (size != null && (size < 0 || size > MAX_SIZE)) {
      throw ApiException.invalid(sizeField + ": must be between 1 and " + MAX_SIZE);
    }
    return new PageRequest(
        size == null || size == 0 ? DEFAULT_SIZE : size, token == null ? "" : token);
  }

  /** Parses a textual size (a REST query parameter). */
  public static PageRequest parse(String size, String token, String sizeField) {
    Integer n = null;
    if (size != null && !size.isEmpty()) {
      try {
        n = Integer.parseInt(size);
      } catch (NumberFormatException e) {
        throw ApiException.invalid(sizeField + ": must be a number, found '" + size + "'");
      }
      if (n == 0) {
        throw ApiException.invalid(sizeField + ": must be between 1 and " + MAX_SIZE);
      }
    }
    return of(n, token, sizeField);
  }

  /** The page of {@code sorted} (ascending by {@code nameOf}) this request asks for. */
  public <T> Page<T> apply(List<T> sorted, Function<? super T, String> nameOf) {
    List<T> items = new ArrayList<>();
    String next = "";
    for (T item : sorted) {
      if (!after.isEmpty() && nameOf.apply(item).compareTo(after) <= 0) {
        continue;
      }
      if (items.size() == size) {
        next = nameOf.apply(items.get(items.size() - 1));
        break;
      }
      items.add(item);
    }
    return new Page<>(items, next);
  }
}
