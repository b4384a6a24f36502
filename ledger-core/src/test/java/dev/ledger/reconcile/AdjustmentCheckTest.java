package dev.ledger.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdjustmentCheckTest {
  private static final AccountCode CLEARING = AccountCode.parse("assets:wallet:alipay:clearing");
  private static final AccountCode FEES = AccountCode.parse("expenses:fees:alipay");
  private static final Instant T = Instant.parse("2024-09-12T10:00:00Z");

  private static Entry entry(Posting... postings) {
    return Entry.of("adj-1", T, "adjustment", Map.of(), List.of(postings));
  }

  private static Break missingPayment() {
    return new Break(BreakKind.MISSING_IN_LEDGER, "2024091222001", null, 4, Amounts.currency("CNY"), 30416L, null,
        182L, null, "2024091222001", null, null);
  }

  @Test
  void aMissingPaymentBookedNetOnClearingAndFeeOnFeesFits() {
    Entry booked = entry(Posting.debit(CLEARING.value(), "302.34", "CNY"), Posting.debit(FEES.value(), "1.82", "CNY"),
        Posting.credit("income:sales", "304.16", "CNY"));
    assertThat(AdjustmentCheck.check(7, missingPayment(), CLEARING, FEES, List.of(booked)).fits()).isTrue();
  }

  @Test
  void aBankFeeAdjustmentForAMissingPaymentIsRejectedNamingTheBreakTheAccountAndBothAmounts() {
    Entry bankFee = entry(Posting.debit("expenses:fees:bank", "5.00", "CNY"), Posting.credit("assets:bank:icbc", "5.00",
        "CNY"));
    AdjustmentCheck.Verdict verdict = AdjustmentCheck.check(7, missingPayment(), CLEARING, FEES, List.of(bankFee));
    assertThat(verdict.fits()).isFalse();
    assertThat(verdict.reason()).isEqualTo("break 7 (MISSING_IN_LEDGER, key 2024091222001) needs 304.16 CNY"
        + " (statement minus ledger) on assets:wallet:alipay:clearing and expenses:fees:alipay; the file moves 0.00 CNY"
        + " there (the file posts to assets:bank:icbc, expenses:fees:bank, not to assets:wallet:alipay:clearing)");
  }

  @Test
  void theRightAccountWithTheWrongAmountOrCurrencyIsRejected() {
    Entry half = entry(Posting.debit(CLEARING.value(), "100.00", "CNY"), Posting.credit("income:sales", "100.00",
        "CNY"));
    assertThat(AdjustmentCheck.check(7, missingPayment(), CLEARING, FEES, List.of(half)).fits()).isFalse();
    Entry dollars = entry(Posting.debit(CLEARING.value(), "302.34", "USD"), Posting.debit(FEES.value(), "1.82", "USD"),
        Posting.credit("income:sales", "304.16", "USD"));
    assertThat(AdjustmentCheck.check(7, missingPayment(), CLEARING, FEES, List.of(dollars)).fits()).isFalse();
  }

  @Test
  void aFeeMismatchIsSettledByMovingTheFeeDifferenceFromClearingToFees() {
    Break fee = new Break(BreakKind.FEE_MISMATCH, "k", "e-1", 6, Amounts.currency("CNY"), 9100L, 9100L, 55L, 54L,
        "k", null, null);
    Entry right = entry(Posting.debit(FEES.value(), "0.01", "CNY"), Posting.credit(CLEARING.value(), "0.01", "CNY"));
    Entry reversed = entry(Posting.credit(FEES.value(), "0.01", "CNY"), Posting.debit(CLEARING.value(), "0.01", "CNY"));
    assertThat(AdjustmentCheck.check(3, fee, CLEARING, FEES, List.of(right)).fits()).isTrue();
    assertThat(AdjustmentCheck.check(3, fee, CLEARING, FEES, List.of(reversed)).fits()).isFalse();
  }

  @Test
  void aBankBreakIsMeasuredOnTheBankAccountAloneAndAnInconsistentStatementTakesNoAdjustment() {
    AccountCode bank = AccountCode.parse("assets:bank:icbc");
    Break unbooked = new Break(BreakKind.MISSING_IN_LEDGER, "B-1", null, 2, Amounts.currency("CNY"), 50000L, null, null,
        null, null, null, null);
    Entry credit = entry(Posting.debit(bank.value(), "500.00", "CNY"), Posting.credit(CLEARING.value(), "500.00", "CNY"));
    assertThat(AdjustmentCheck.check(9, unbooked, bank, null, List.of(credit)).fits()).isTrue();
    Break inconsistent = new Break(BreakKind.STATEMENT_INCONSISTENT, "closing", null, 9, Amounts.currency("CNY"), null,
        null, null, null, null, null, null, "1.00", "2.00");
    assertThat(AdjustmentCheck.check(9, inconsistent, bank, null, List.of(credit)).fits()).isFalse();
  }
}
