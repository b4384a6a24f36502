package dev.ledger.reconcile;

import java.util.Arrays;

/**
 * Open-addressing map from string key to a dense position 0..size-1. Keeps a million keys in a few
 * arrays instead of a million map entries. Each slot holds the key's hash beside its position, so
 * a probe touches a key's characters only when the hashes agree (one cache miss fewer per probe).
 * Not thread-safe.
 */
final class KeyIndex {
  private String[] keys;
  private long[] slots; // hash << 32 | (position + 1); 0 = empty
  private int size;

  KeyIndex(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    slots = new long[capacity];
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
    int hash = mix(key.hashCode());
    int mask = slots.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      long value = slots[slot];
      if (value == 0) {
        return -1;
      }
      int position = (int) value - 1;
      if ((int) (value >>> 32) == hash && keys[position].equals(key)) {
        return position;
      }
    }
  }

  /** Position of the key, adding it at the end when absent. */
  int add(String key) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int hash = mix(key.hashCode());
    int mask = slots.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      long value = slots[slot];
      if (value == 0) {
        if (size == keys.length) {
          keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size] = key;
        slots[slot] = ((long) hash << 32) | (++size & 0xFFFFFFFFL);
        return size - 1;
      }
      int position = (int) value - 1;
      if ((int) (value >>> 32) == hash && keys[position].equals(key)) {
        return position;
      }
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    int mask = bigger.length - 1;
    for (long value : slots) {
      if (value != 0) {
        int slot = (int) (value >>> 32) & mask;
        while (bigger[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        bigger[slot] = value;
      }
    }
    slots = bigger;
  }

  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
