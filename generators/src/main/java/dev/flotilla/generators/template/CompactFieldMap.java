package dev.flotilla.generators.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The field map behind rendered {@code ObjectNode}s: two parallel arrays in insertion order. A
 * rendered Application has a dozen small objects; a LinkedHashMap per object costs about three
 * times the memory, which matters at 100,000 Applications. Lookups are linear, which is faster than
 * hashing for the handful of fields Kubernetes objects have per level; objects that grow large
 * still work, just without hashing.
 */
final class CompactFieldMap extends AbstractMap<String, JsonNode> {

  private String[] keys;
  private JsonNode[] values;
  private int size;
  private int modifications;

  CompactFieldMap(int capacity) {
    keys = new String[Math.max(1, capacity)];
    values = new JsonNode[keys.length];
  }

  @Override
  public int size() {
    return size;
  }

  private int indexOf(Object key) {
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public JsonNode get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public JsonNode put(String key, JsonNode value) {
    Objects.requireNonNull(key);
    int i = indexOf(key);
    if (i >= 0) {
      JsonNode old = values[i];
      values[i] = value;
      return old;
    }
    if (size == keys.length) {
      int capacity = keys.length * 2;
      keys = Arrays.copyOf(keys, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    keys[size] = key;
    values[size] = value;
    size++;
    modifications++;
    return null;
  }

  @Override
  public JsonNode remove(Object key) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    JsonNode old = values[i];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    System.arraycopy(keys, i + 1, keys, i, size - i - 1);
    System.arraycopy(values, i + 1, values, i, size - i - 1);
    size--;
    keys[size] = null;
    values[size] = null;
    modifications++;
  }

  @Override
  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    modifications++;
  }

  @Override
  public Set<Entry<String, JsonNode>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, JsonNode>> iterator() {
        return new Iterator<>() {
          private int next;
          private int last = -1;
          private int expected = modifications;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Entry<String, JsonNode> next() {
            if (expected != modifications) {
              throw new ConcurrentModificationException();
            }
            if (next >= size) {
              throw new NoSuchElementException();
            }
            last = next++;
            int index = last;
            return new Entry<>() {
              @Override
              public String getKey() {
                return keys[index];
              }

              @Override
              public JsonNode getValue() {
                return values[index];
              }

              @Override
              public JsonNode setValue(JsonNode value) {
                JsonNode old = values[index];
                values[index] = value;
                return old;
              }

              @Override
              public boolean equals(Object other) {
                return other instanceof Entry<?, ?> e
                    && Objects.equals(getKey(), e.getKey())
                    && Objects.equals(getValue(), e.getValue());
              }

              @Override
              public int hashCode() {
                return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
              }
            };
          }

          @Override
          public void remove() {
            if (last < 0) {
              throw new IllegalStateException();
            }
            if (expected != modifications) {
              throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modifications;
          }
        };
      }
    };
  }
}
