package dev.ledger.db;

import java.util.concurrent.ConcurrentHashMap;

/**
 * no_overdraft flags of accounts known to be committed. Accounts are never changed or removed, so
 * a flag once seen stays true; the cache only saves a lookup per batch.
 */
final class AccountCache {
  private final ConcurrentHashMap<String, Boolean> flags = new ConcurrentHashMap<>();

  Boolean get(String code) {
    return flags.get(code);
  }

  void put(String code, boolean noOverdraft) {
    flags.put(code, noOverdraft);
  }
}
