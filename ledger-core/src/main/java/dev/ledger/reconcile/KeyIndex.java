package dev.ledger.reconcile;

import java.util.Arrays;

/**
 * Open-addressing map from string key to a dense position 0..size-1. Keeps a million keys in a few
 * arrays instead of a million map entries. Not thread-safe.
 */
final class KeyIndex {
  private String[] keys;
  private int[] slots; // position + 1, 0 = empty
  private int size;

  KeyIndex(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    slots = new int[capacity];
    keys = new String[Math.max(16, expected)];
  }

  int size() {
    return size;
  }

  String key(int position) {
    return keys[position];
  }

  /** Position of the key, or -1. */
  int find(String key) {
    int mask = slots.length - 1;
    for (int slot = mix(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int value = slots[slot];
      if (value == 0) {
        return -1;
      }
      if (keys[value - 1].equals(key)) {
        return value - 1;
      }
    }
  }

  /** Position of the key, adding it at the end when absent. */
  int add(String key) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    for (int slot = mix(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int value = slots[slot];
      if (value == 0) {
        if (size == keys.length) {
          keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size] = key;
        slots[slot] = ++size;
        return size - 1;
      }
      if (keys[value - 1].equals(key)) {
        return value - 1;
      }
    }
  }

  private void grow() {
    int[] bigger = new int[slots.length * 2];
    int mask = bigger.length - 1;
    for (int position = 0; position < size; position++) {
      int slot = mix(keys[position].hashCode()) & mask;
      while (bigger[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      bigger[slot] = position + 1;
    }
    slots = bigger;
  }

  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
