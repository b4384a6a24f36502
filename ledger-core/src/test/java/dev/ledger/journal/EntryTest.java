package dev.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryTest {
  private static final Instant T = Instant.parse("2024-09-12T02:15:02Z");

  private static Entry payment(String id) {
    return Entry.of(id, T, "order O-1 paid", Map.of("provider", "wechatpay"), List.of(
        Posting.debit("assets:wallet:wechatpay:clearing", "100.00", "CNY"),
        Posting.credit("liabilities:merchant:m-88:payable", "100.00", "CNY"),
        Posting.debit("expenses:fees:wechatpay", "0.60", "CNY"),
        Posting.credit("assets:wallet:wechatpay:clearing", "0.60", "CNY")));
  }

  @Test
  void idsAndMetadataKeysAreExactlyWhatTheDocumentedPatternsAccept() {
    java.util.regex.Pattern id = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+=#-]*");
    java.util.regex.Pattern key = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,63}");
    String alphabet = "aZ09._:@/+=#- _%\u00e9";
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    int ids = 0;
    int keys = 0;
    for (int n = 0; n < 50_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(n % 100 == 0 ? 70 : 6); i > 0; i--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String candidate = text.toString();
      assertThat(Entry.isId(candidate)).as(candidate).isEqualTo(id.matcher(candidate).matches());
      assertThat(Entry.isMetadataKey(candidate)).as(candidate).isEqualTo(key.matcher(candidate).matches());
      ids += Entry.isId(candidate) ? 1 : 0;
      keys += Entry.isMetadataKey(candidate) ? 1 : 0;
    }
    assertThat(ids).as("ids accepted").isGreaterThan(1_000);
    assertThat(keys).as("keys accepted").isGreaterThan(300);
  }

  @Test
  void rejectsAnUnbalancedEntryNamingTheCurrencyAndTotals() {
    assertThatThrownBy(() -> Entry.of("e-1", T, "", Map.of(), List.of(
        Posting.debit("assets:bank:icbc:main", "100.00", "CNY"),
        Posting.credit("income:commission", "99.99", "CNY"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Entry e-1 is unbalanced in CNY: debits 100.00 != credits 99.99");
  }

  @Test
  void balancesPerCurrencyNotAcrossCurrencies() {
    assertThatThrownBy(() -> Entry.of("fx-1", T, "", Map.of(), List.of(
        Posting.debit("assets:bank:hsbc:usd", "10.00", "USD"),
        Posting.credit("assets:bank:icbc:main", "72.00", "CNY"))))
        .hasMessageContaining("unbalanced in CNY");
  }

  @Test
  void needsTwoPostingsAndPositiveAmounts() {
    assertThatThrownBy(() -> Entry.of("e-2", T, "", Map.of(), List.of(
        Posting.debit("assets:bank:icbc:main", "1.00", "CNY"))))
        .hasMessageContaining("e-2 has 1 posting(s)");
    assertThatThrownBy(() -> Posting.debit("assets:bank:icbc:main", "0.00", "CNY"))
        .hasMessageContaining("must be positive: 0.00 CNY on assets:bank:icbc:main");
    assertThatThrownBy(() -> Posting.debit("assets:bank:icbc:main", "-1.00", "CNY"))
        .hasMessageContaining("positive");
  }

  @Test
  void rejectsBadIdsAndMetadataKeys() {
    assertThatThrownBy(() -> Entry.of("has space", T, "", Map.of(), payment("x").postings()))
        .hasMessageContaining("'has space'");
    assertThatThrownBy(() -> Entry.of("e-3", T, "", Map.of("Bad Key", "v"), payment("x").postings()))
        .hasMessageContaining("'Bad Key'");
  }

  @Test
  void reversalFlipsEveryPostingAndLinksTheOriginal() {
    Entry original = payment("pay-1");
    Entry reversal = original.reversal("pay-1-rev", "duplicate capture", T.plusSeconds(60));
    assertThat(reversal.reversalOf()).isEqualTo("pay-1");
    assertThat(reversal.isReversalOf(original)).isTrue();
    assertThat(reversal.postings().get(0).side()).isEqualTo(original.postings().get(0).side().opposite());
    assertThat(reversal.metadata()).containsEntry("reversal_reason", "duplicate capture");
  }

  @Test
  void canonicalContentIgnoresMetadataOrderButNotAmounts() {
    Entry a = Entry.of("e", T, "d", Map.of("a", "1", "b", "2"), payment("x").postings());
    Entry b = Entry.of("e", T, "d", Map.of("b", "2", "a", "1"), payment("x").postings());
    assertThat(a.sameContent(b)).isTrue();
    Entry c = Entry.of("e", T, "d", Map.of("a", "1", "b", "2"), List.of(
        Posting.debit("assets:bank:icbc:main", "1.00", "CNY"),
        Posting.credit("income:commission", "1.00", "CNY")));
    assertThat(a.sameContent(c)).isFalse();
  }

  @Test
  void anEntryWhoseDebitsSumBeyondALongIsRejectedNamingItNotAnArithmeticException() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Entry.of("wide",
            java.time.Instant.parse("2024-09-12T00:00:00Z"), "", java.util.Map.of(), java.util.List.of(
                Posting.debit("assets:bank:a", "60000000000000000.00", "CNY"),
                Posting.debit("assets:bank:b", "60000000000000000.00", "CNY"),
                Posting.credit("equity:capital", "60000000000000000.00", "CNY"),
                Posting.credit("equity:capital", "60000000000000000.00", "CNY"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Entry wide")
        .hasMessageContaining("debits in CNY");
  }
}
