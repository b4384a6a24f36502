package dev.ledger.cli.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.Json;
import dev.ledger.cli.Table;
import dev.ledger.db.reconcile.BreakEvent;
import dev.ledger.db.reconcile.StoredBreak;
import dev.ledger.db.reconcile.TrackedBreak;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import java.time.Instant;

/** Break objects as DESIGN.md section 6 prints them, amounts as decimal strings. */
public final class BreakJson {
  public static final String[] COLUMNS = {"id", "kind", "key", "entry_id", "line", "currency", "statement_gross",
      "ledger_gross", "statement_fee", "ledger_fee", "difference"};

  private BreakJson() {}

  public static ObjectNode write(StoredBreak stored, boolean lifecycle) {
    Break item = stored.details();
    ObjectNode node = Json.object();
    node.put("id", Long.toString(stored.id()));
    node.put("kind", item.kind().name());
    node.put("key", item.key());
    node.put("provider_txn_id", item.providerTxnId());
    node.put("provider_refund_id", item.providerRefundId());
    node.put("order_id", item.orderId());
    node.put("entry_id", item.entryId());
    if (item.statementLine() > 0) {
      node.put("statement_line", item.statementLine());
    } else {
      node.putNull("statement_line");
    }
    node.put("currency", item.currency() == null ? null : item.currency().getCurrencyCode());
    node.put("statement_gross", item.format(item.statementGross()));
    node.put("ledger_gross", item.format(item.ledgerGross()));
    node.put("statement_fee", item.format(item.statementFee()));
    node.put("ledger_fee", item.format(item.ledgerFee()));
    node.put("difference", item.format(item.difference()));
    if (item.kind() == BreakKind.STATEMENT_INCONSISTENT) {
      node.put("stated", item.stated());
      node.put("computed", item.computed());
    }
    if (lifecycle) {
      node.put("source", stored.source());
      node.put("account", stored.account());
      node.put("status", stored.state().label());
      node.put("assignee", stored.assignee());
      node.put("opened_run_id", Long.toString(stored.openedRunId()));
      node.put("closed_run_id", stored.closedRunId() == null ? null : stored.closedRunId().toString());
      node.put("resolved_at", stored.resolvedAt() == null ? null : stored.resolvedAt().toString());
      node.put("note", stored.resolutionNote());
      node.put("adjustment_entry_id", stored.adjustmentEntryId());
    }
    return node;
  }

  /** A break with its lifecycle, when it opened and its age in days at {@code now}. */
  public static ObjectNode write(TrackedBreak tracked, Instant now) {
    ObjectNode node = write(tracked.stored(), true);
    node.put("opened_at", tracked.openedAt().toString());
    node.put("age_days", tracked.ageDays(now));
    return node;
  }

  /** One workflow event: who did what when. */
  public static ObjectNode write(BreakEvent event) {
    ObjectNode node = Json.object();
    node.put("id", Long.toString(event.id()));
    node.put("kind", event.kind());
    node.put("at", event.at().toString());
    node.put("by", event.by());
    node.put("database_user", event.actor());
    node.put("assignee", event.assignee());
    node.put("text", event.note());
    node.put("run_id", event.runId() == null ? null : event.runId().toString());
    node.put("adjustment_entry_id", event.adjustmentEntryId());
    return node;
  }

  static void row(Table table, StoredBreak stored) {
    table.row(cells(stored));
  }

  /** The cells of {@link #COLUMNS} for one break. */
  static Object[] cells(StoredBreak stored) {
    Break item = stored.details();
    return new Object[] {stored.id(), item.kind(), item.key(), item.entryId(),
        item.statementLine() > 0 ? item.statementLine() : "", item.currency(), item.format(item.statementGross()),
        item.format(item.ledgerGross()), item.format(item.statementFee()), item.format(item.ledgerFee()),
        item.format(item.difference())};
  }
}
