package dev.flotilla.controlplane.query;

import java.util.List;

/**
 * A page of a list and the token of the next page, empty on the last one.
 *
 * @param nextPageToken pass as {@code pageToken} (REST) or {@code page_token} (gRPC) for the next
 *     page
 */
public record Page<T>(List<T> items, String nextPageToken) {

  public Page {
    items = List.copyOf(items);
  }
}
