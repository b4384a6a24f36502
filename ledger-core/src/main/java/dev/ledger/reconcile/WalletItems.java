package dev.ledger.reconcile;

import java.time.Instant;
import java.util.Arrays;
import javax.money.CurrencyUnit;

/**
 * The ledger side of a wallet reconciliation, one item per match key, stored column-wise so a
 * million keys fit in little memory. Entries sharing a key add up (an entry and its reversal net
 * to zero, a correction adds to the original). Amounts in minor units: net on the clearing account,
 * fee on the fee account, gross = net + fee. Not thread-safe.
 */
public final class WalletItems {
  private final KeyIndex index;
  private String[] entryIds;
  private CurrencyUnit[] currencies;
  private long[] gross;
  private long[] fee;
  private long[] effectiveMicros;
  private boolean[] mixedCurrency;

  public WalletItems(int expected) {
    int capacity = Math.max(16, expected);
    index = new KeyIndex(capacity);
    entryIds = new String[capacity];
    currencies = new CurrencyUnit[capacity];
    gross = new long[capacity];
    fee = new long[capacity];
    effectiveMicros = new long[capacity];
    mixedCurrency = new boolean[capacity];
  }

  /** Adds one entry's amounts under its key. */
  public void add(String key, String entryId, CurrencyUnit currency, long grossMinor, long feeMinor,
      Instant effectiveAt) {
    int before = index.size();
    int position = index.add(key);
    long micros = toMicros(effectiveAt);
    if (position == before) {
      ensureCapacity(position + 1);
      entryIds[position] = entryId;
      currencies[position] = currency;
      gross[position] = grossMinor;
      fee[position] = feeMinor;
      effectiveMicros[position] = micros;
      return;
    }
    if (!currencies[position].equals(currency)) {
      mixedCurrency[position] = true;
      return;
    }
    // Range-checked: a wrapped sum would match (or break) against a figure nobody booked.
    String what = "the ledger entries under key " + key + " (" + entryIds[position] + ", " + entryId + ")";
    long newGross = SumOverflowException.add(gross[position], grossMinor, what, currency);
    long newFee = SumOverflowException.add(fee[position], feeMinor, what + " (fees)", currency);
    gross[position] = newGross;
    fee[position] = newFee;
    // The earliest entry names the key; ties go to the smaller id so row order does not matter.
    if (micros < effectiveMicros[position]
        || (micros == effectiveMicros[position] && entryId.compareTo(entryIds[position]) < 0)) {
      effectiveMicros[position] = micros;
      entryIds[position] = entryId;
    }
  }

  public int size() {
    return index.size();
  }

  int find(String key) {
    return index.find(key);
  }

  String key(int position) {
    return index.key(position);
  }

  String entryId(int position) {
    return entryIds[position];
  }

  CurrencyUnit currency(int position) {
    return currencies[position];
  }

  long gross(int position) {
    return gross[position];
  }

  long fee(int position) {
    return fee[position];
  }

  long effectiveMicros(int position) {
    return effectiveMicros[position];
  }

  /** Fully reversed keys expect nothing in a statement. */
  boolean isEmpty(int position) {
    return gross[position] == 0 && fee[position] == 0;
  }

  boolean mixedCurrency(int position) {
    return mixedCurrency[position];
  }

  static long toMicros(Instant time) {
    return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
  }

  private void ensureCapacity(int needed) {
    if (needed <= entryIds.length) {
      return;
    }
    int capacity = Math.max(needed, entryIds.length * 2);
    entryIds = Arrays.copyOf(entryIds, capacity);
    currencies = Arrays.copyOf(currencies, capacity);
    gross = Arrays.copyOf(gross, capacity);
    fee = Arrays.copyOf(fee, capacity);
    effectiveMicros = Arrays.copyOf(effectiveMicros, capacity);
    mixedCurrency = Arrays.copyOf(mixedCurrency, capacity);
  }
}
