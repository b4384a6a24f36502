package dev.ledger.reconcile;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The keys a run matched, as a sorted set of 64-bit hashes: what a later run of another file needs
 * to flag DUPLICATE_ACROSS_STATEMENTS, in 8 bytes per key (a million keys in 8 MB, stored with the
 * run as one value) instead of a row per key. Two different keys share a hash with probability
 * about n^2 / 2^65 (5e-8 for a million keys against a million). Immutable and thread-safe once
 * built.
 */
public final class KeyHashes {
  public static final KeyHashes NONE = new KeyHashes(new long[0]);
  private final long[] sorted;

  private KeyHashes(long[] sorted) {
    this.sorted = sorted;
  }

  /** Collects hashes; {@link #build} sorts them. Not thread-safe. */
  public static final class Builder {
    private long[] hashes = new long[64];
    private int size;

    public Builder add(String key) {
      if (key == null || key.isEmpty()) {
        return this;
      }
      if (size == hashes.length) {
        hashes = Arrays.copyOf(hashes, size * 2);
      }
      hashes[size++] = hash(key);
      return this;
    }

    public Builder addAll(KeyHashes other) {
      for (long h : other.sorted) {
        if (size == hashes.length) {
          hashes = Arrays.copyOf(hashes, Math.max(64, size * 2));
        }
        hashes[size++] = h;
      }
      return this;
    }

    public KeyHashes build() {
      long[] copy = Arrays.copyOf(hashes, size);
      Arrays.sort(copy);
      int unique = 0;
      for (int i = 0; i < copy.length; i++) {
        if (i == 0 || copy[i] != copy[i - 1]) {
          copy[unique++] = copy[i];
        }
      }
      return new KeyHashes(Arrays.copyOf(copy, unique));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean contains(String key) {
    return key != null && !key.isEmpty() && Arrays.binarySearch(sorted, hash(key)) >= 0;
  }

  public int size() {
    return sorted.length;
  }

  public boolean isEmpty() {
    return sorted.length == 0;
  }

  /** Big-endian, 8 bytes per hash, ascending: the stored form. */
  public byte[] toBytes() {
    ByteBuffer buffer = ByteBuffer.allocate(sorted.length * 8);
    for (long h : sorted) {
      buffer.putLong(h);
    }
    return buffer.array();
  }

  public static KeyHashes fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return NONE;
    }
    if (bytes.length % 8 != 0) {
      throw new IllegalArgumentException("Stored key hashes are 8 bytes each: " + bytes.length + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long[] hashes = new long[bytes.length / 8];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = buffer.getLong();
    }
    return builderOf(hashes);
  }

  private static KeyHashes builderOf(long[] hashes) {
    Builder builder = new Builder();
    builder.hashes = hashes.length == 0 ? new long[64] : hashes;
    builder.size = hashes.length;
    return builder.build();
  }

  /** FNV-1a over the UTF-16 units, then a 64-bit finaliser (murmur3's fmix64). */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
