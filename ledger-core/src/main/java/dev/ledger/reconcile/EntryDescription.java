package dev.ledger.reconcile;

/** The provider ids and order id an entry carries in its metadata (any may be null). */
public record EntryDescription(String providerTxnId, String providerRefundId, String orderId) {}
