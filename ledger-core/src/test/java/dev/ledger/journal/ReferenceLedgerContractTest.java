package dev.ledger.journal;

/** The reference ledger keeps every invariant of the contract (and agrees with itself). */
class ReferenceLedgerContractTest extends LedgerContract {
  @Override
  protected Ledger newLedger() {
    return new ReferenceLedger();
  }
}
