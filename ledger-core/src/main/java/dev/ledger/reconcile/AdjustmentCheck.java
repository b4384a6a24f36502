package dev.ledger.reconcile;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Whether adjusting entries settle a break (DESIGN.md section 4: their amounts must relate to the
 * break). They must move the break's difference, in its currency, where the break measures it:
 * <ul>
 *   <li>a fee mismatch: the fee difference onto the fee account, taken from the run's account
 *       (which therefore must be touched);</li>
 *   <li>every other break with a difference: the gross difference (statement minus ledger) onto the
 *       run's account, plus the fee account where the source has one (a missing payment is booked
 *       net on the clearing account and its fee on the fee account);</li>
 *   <li>a currency mismatch (no single difference): the run's account must be touched;</li>
 *   <li>a statement that contradicts itself: no adjustment, since the ledger is not what is wrong.</li>
 * </ul>
 */
public final class AdjustmentCheck {
  private AdjustmentCheck() {}

  /** The check's outcome: {@code reason} says what was expected and what the entries do. */
  public record Verdict(boolean fits, String reason) {
    public Verdict {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * @param breakId for messages
   * @param account the run's clearing or bank account
   * @param feeAccount the source's fee account, null where it has none
   */
  public static Verdict check(long breakId, Break item, AccountCode account, AccountCode feeAccount,
      List<Entry> entries) {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(account, "account");
    String what = "break " + breakId + " (" + item.kind() + ", key " + item.key() + ")";
    TreeSet<String> touched = new TreeSet<>();
    long onAccount = 0;
    long onFee = 0;
    boolean accountTouched = false;
    for (Entry entry : entries) {
      for (Posting posting : entry.postings()) {
        touched.add(posting.account().value());
        boolean sameCurrency = item.currency() == null || posting.currency().equals(item.currency());
        if (posting.account().equals(account)) {
          accountTouched |= sameCurrency;
          if (sameCurrency) {
            onAccount = Math.addExact(onAccount, posting.signedMinor());
          }
        } else if (posting.account().equals(feeAccount) && sameCurrency) {
          onFee = Math.addExact(onFee, posting.signedMinor());
        }
      }
    }
    String has = "the file posts to " + (touched.isEmpty() ? "nothing" : String.join(", ", touched))
        + (accountTouched ? "" : ", not to " + account);
    String currency = item.currency() == null ? "" : " " + item.currency().getCurrencyCode();
    if (item.kind() == BreakKind.STATEMENT_INCONSISTENT) {
      return new Verdict(false, what + " is the statement disagreeing with itself: there is nothing in the ledger"
          + " to adjust (resolve it with a note only)");
    }
    Long difference = item.difference();
    if (difference == null) {
      return accountTouched ? new Verdict(true, "touches " + account)
          : new Verdict(false, what + " needs an adjustment on " + account + "; " + has);
    }
    if (item.kind() == BreakKind.FEE_MISMATCH && feeAccount != null) {
      boolean fits = accountTouched && onFee == difference && onAccount == -difference;
      return new Verdict(fits, what + " needs " + item.format(difference) + currency + " onto " + feeAccount
          + " from " + account + "; the file moves " + item.format(onFee) + currency + " on " + feeAccount + " and "
          + item.format(onAccount) + currency + " on " + account + " (" + has + ")");
    }
    long moved = Math.addExact(onAccount, feeAccount == null ? 0 : onFee);
    boolean fits = accountTouched && moved == difference;
    String where = feeAccount == null ? account.value() : account + " and " + feeAccount;
    return new Verdict(fits, what + " needs " + item.format(difference) + currency + " (statement minus ledger) on "
        + where + "; the file moves " + item.format(moved) + currency + " there (" + has + ")");
  }
}
