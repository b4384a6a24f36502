package dev.ledger.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.account.Account;
import dev.ledger.cli.Cli;
import dev.ledger.cli.Json;
import dev.ledger.cli.demo.CamtStatement;
import dev.ledger.cli.demo.WechatBill;
import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.TestDatabases;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import dev.ledger.settlement.Chart;
import dev.ledger.settlement.Settlements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.money.CurrencyUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's done-when: a generated three-day marketplace with real-format WeChat Pay trade bills,
 * fund flows and camt.053 bank statements (settlement batches, a net-of-fee credit, amounts inside
 * and outside the tolerance, a line repeated in the next day's bill, a late booking, a fee the
 * bill's rate contradicts, a fee the wallet deducted that the ledger did not book) reconciles,
 * through the CLI, to exactly its planted breaks and matches.
 */
class ThreeDayMarketplaceTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final CurrencyUnit CNY = Amounts.currency("CNY");
  private static final LocalDate D1 = LocalDate.of(2024, 9, 12);
  private static final String BANK = "assets:bank:icbc:main";
  private final Cli cli = new Cli();
  @TempDir Path dir;

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, WechatBill> bills = new TreeMap<>();
  private final Map<String, WechatFundFlow> flows = new TreeMap<>();
  private final Map<String, CamtStatement> banks = new TreeMap<>();
  private final Map<String, Long> walletNet = new HashMap<>();

  private static String txn(int day, int n) {
    return "42000020240912" + String.format("%02d%07d", day, n);
  }

  private static long rateFee(long gross) {
    return BigDecimal.valueOf(gross).multiply(new BigDecimal("0.006")).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  private void book(String txnId, LocalDateTime at, long gross, long fee) {
    entries.add(Settlements.paymentCaptured("pay-" + txnId, at.atZone(SHANGHAI).toInstant(), "wechatpay", txnId,
        "O-" + txnId, "m-1", Amounts.ofMinor(gross, CNY), Amounts.ofMinor(fee, CNY)));
  }

  /** On the day's bill and fund flow with these amounts (what the provider says). */
  private void bill(LocalDate day, String txnId, LocalDateTime at, long gross, long billFee, long walletFee) {
    bills.get(day.toString()).payment(at, txnId, "O-" + txnId, gross, billFee, "商品");
    flows.get(day.toString()).trade(at, txnId, gross, walletFee);
    walletNet.merge(day.toString(), gross - walletFee, Long::sum);
  }

  private void settle(String id, LocalDate day, String batch, long amount) {
    entries.add(Settlements.providerSettlement(id, day.atTime(23, 0).atZone(SHANGHAI).toInstant(), "wechatpay",
        Chart.bank("icbc", "main"), batch, Amounts.ofMinor(amount, CNY)));
  }

  private void generate() {
    long opening = 1_000_00;
    for (int d = 0; d < 3; d++) {
      LocalDate day = D1.plusDays(d);
      bills.put(day.toString(), new WechatBill());
      flows.put(day.toString(), new WechatFundFlow(opening));
      banks.put(day.toString(), new CamtStatement("CN0012345678", "CNY", day, 50_000_00L * (d + 1)));
      // Three ordinary payments a day, fees at the bill's 0.60%.
      for (int n = 1; n <= 3; n++) {
        long gross = 10_000 + 1_111 * n + 100 * d;
        String id = txn(d + 1, n);
        LocalDateTime at = day.atTime(9 + n, 0);
        book(id, at, gross, rateFee(gross));
        bill(day, id, at, gross, rateFee(gross), rateFee(gross));
      }
      opening = 0;
    }
    LocalDate d2 = D1.plusDays(1);
    LocalDate d3 = D1.plusDays(2);
    // Day 1: 100.03 billed for a 100.00 booking (inside the 0.05 tolerance); a payment booked at
    // 23:59 that the provider bills the next day.
    book(txn(1, 8), D1.atTime(14, 0), 100_00, 60);
    bill(D1, txn(1, 8), D1.atTime(14, 0), 100_03, 60, 60);
    book(txn(1, 9), D1.atTime(23, 59), 30_00, 18);
    bill(d2, txn(1, 9), d2.atTime(0, 1), 30_00, 18, 18);
    // Day 2: 101.00 billed for a 100.00 booking (outside); a payment nobody booked.
    book(txn(2, 8), d2.atTime(15, 0), 100_00, 60);
    bill(d2, txn(2, 8), d2.atTime(15, 0), 101_00, 61, 61);
    bill(d2, txn(2, 9), d2.atTime(16, 0), 77_77, 47, 47);
    // Day 3: yesterday's first payment again on the bill (not in the wallet); a fee of 0.90 on 100.00
    // booked as billed but against the bill's own 0.60% rate; a fee of 1.60 the wallet deducted for
    // a payment booked and billed with 0.60.
    bills.get(d3.toString()).payment(d2.atTime(10, 0), txn(2, 1), "O-" + txn(2, 1), 11_211, rateFee(11_211), "商品");
    book(txn(3, 8), d3.atTime(15, 0), 100_00, 90);
    bill(d3, txn(3, 8), d3.atTime(15, 0), 100_00, 90, 90);
    book(txn(3, 9), d3.atTime(16, 0), 100_00, 60);
    bills.get(d3.toString()).payment(d3.atTime(16, 0), txn(3, 9), "O-" + txn(3, 9), 100_00, 60, "商品");
    flows.get(d3.toString()).trade(d3.atTime(16, 0), txn(3, 9), 100_00, 1_60);
    walletNet.merge(d3.toString(), 100_00L - 1_60L, Long::sum);

    // Withdrawals: the wallet empties each evening; day 2 in two parts of one settlement batch; day 3's
    // bank credit arrives net of the bank's 5.00 fee.
    long w1 = walletNet.get(D1.toString()) + 1_000_00;
    settle("set-1", D1, "WXB-0912", w1);
    flows.get(D1.toString()).withdrawal(D1.atTime(23, 0), w1, "WD0912");
    banks.get(D1.toString()).movement(w1, D1, "WXB-0912", "WXB-0912", "WeChat Pay settlement");
    long w2 = walletNet.get(d2.toString());
    settle("set-2a", d2, "WXB-0913", 100_00);
    settle("set-2b", d2, "WXB-0913", w2 - 100_00);
    flows.get(d2.toString()).withdrawal(d2.atTime(23, 0), 100_00, "WD0913A");
    flows.get(d2.toString()).withdrawal(d2.atTime(23, 0), w2 - 100_00, "WD0913B");
    banks.get(d2.toString()).movement(w2, d2, "WXB-0913", "WXB-0913", "WeChat Pay settlement");
    long w3 = walletNet.get(d3.toString());
    settle("set-3", d3, "WXB-0914", w3);
    entries.add(Entry.of("bankfee-3", d3.atTime(23, 30).atZone(SHANGHAI).toInstant(), "Bank fee WXB-0914",
        Map.of("settlement_batch", "WXB-0914"), List.of(Posting.debit("expenses:fees:bank", "5.00", "CNY"),
            Posting.credit(BANK, "5.00", "CNY"))));
    flows.get(d3.toString()).withdrawal(d3.atTime(23, 0), w3, "WD0914");
    banks.get(d3.toString()).movement(w3 - 5_00, d3, "WXB-0914", "WXB-0914", "WeChat Pay settlement net of fee");
  }

  private long w3() {
    return walletNet.get(D1.plusDays(2).toString());
  }

  private JsonNode reconcile(String source, Path file, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("reconcile", "--source", source, "--statement", file.toString(),
        "--rules", dir.resolve("nightly.rules").toString(), "--format", "json"));
    args.addAll(List.of(more));
    Cli.Run run = cli.run(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isIn(0, 1);
    return Json.MAPPER.readTree(run.out());
  }

  private static List<String> breaks(JsonNode run) {
    List<String> found = new ArrayList<>();
    run.get("breaks").forEach(b -> found.add(b.get("kind").asText() + " " + b.get("key").asText()));
    return found;
  }

  private static Map<String, Integer> rules(JsonNode run) {
    Map<String, Integer> found = new TreeMap<>();
    run.get("summary").get("matched_by_rule").fields().forEachRemaining(e -> found.put(e.getKey(), e.getValue().asInt()));
    return found;
  }

  private static List<String> matches(JsonNode run) {
    List<String> found = new ArrayList<>();
    run.get("matches").forEach(m -> {
      List<String> entryIds = new ArrayList<>();
      m.get("entry_ids").forEach(e -> entryIds.add(e.asText()));
      found.add(m.get("rule").asText() + " " + m.get("statement_lines").size() + " " + entryIds);
    });
    return found;
  }

  @Test
  void threeDaysReconcileToExactlyThePlantedBreaksAndMatches() throws Exception {
    generate();
    try (LedgerDatabase ledger = LedgerDatabase.connect(cli.url(), TestDatabases.server().user(), null)) {
      for (String code : List.of(BANK, "assets:wallet:wechatpay:clearing", "expenses:fees:wechatpay",
          "expenses:fees:bank", "liabilities:merchant:m-1:payable")) {
        ledger.ledger().createAccount(Account.of(code));
      }
      assertThat(ledger.ledger().postAll(entries).committed()).isTrue();
    }
    Files.writeString(dir.resolve("nightly.rules"), "tolerance = 0.05\ndate_lag_days = 3\n");
    Map<String, JsonNode> runs = new TreeMap<>();
    for (int d = 0; d < 3; d++) {
      String day = D1.plusDays(d).toString();
      Path bill = Files.writeString(dir.resolve("wechatpay-" + day + ".csv"), bills.get(day).text(), StandardCharsets.UTF_8);
      Path flow = Files.writeString(dir.resolve("funds-" + day + ".csv"), flows.get(day).text(), StandardCharsets.UTF_8);
      Path bank = Files.writeString(dir.resolve("camt-" + day + ".xml"), banks.get(day).xml(), StandardCharsets.UTF_8);
      runs.put(day + " wechatpay", reconcile("wechatpay", bill));
      runs.put(day + " funds", reconcile("wechatpay-funds", flow));
      runs.put(day + " bank", reconcile("camt053", bank, "--account", BANK));
    }
    String t18 = txn(1, 8);
    String t19 = txn(1, 9);
    String t28 = txn(2, 8);
    String t29 = txn(2, 9);

    // Day 1: the 23:59 booking is missing from the bill and the wallet; 100.03 matched within tolerance.
    assertThat(breaks(runs.get("2024-09-12 wechatpay"))).containsExactly("MISSING_IN_STATEMENT " + t19);
    assertThat(rules(runs.get("2024-09-12 wechatpay"))).isEqualTo(Map.of("exact-key", 3, "tolerance", 1));
    assertThat(breaks(runs.get("2024-09-12 funds"))).containsExactly("MISSING_IN_STATEMENT " + t19);
    assertThat(rules(runs.get("2024-09-12 funds")))
        .isEqualTo(Map.of("many-to-one-sum", 6, "tolerance", 2, "amount-and-date", 1));
    assertThat(matches(runs.get("2024-09-12 funds"))).contains("tolerance 2 [pay-" + t18 + "]",
        "amount-and-date 1 [set-1]");
    assertThat(breaks(runs.get("2024-09-12 bank"))).isEmpty();
    assertThat(rules(runs.get("2024-09-12 bank"))).isEqualTo(Map.of("reference", 1));

    // Day 2: the late booking is billed (date lag) and closes day 1's breaks; 101.00 is outside the
    // tolerance on the bill and in the wallet; an unbooked payment; the bank credits the batch at once.
    assertThat(breaks(runs.get("2024-09-13 wechatpay")))
        .containsExactlyInAnyOrder("AMOUNT_MISMATCH " + t28, "MISSING_IN_LEDGER " + t29);
    assertThat(rules(runs.get("2024-09-13 wechatpay"))).isEqualTo(Map.of("exact-key", 3, "date-lag", 1));
    assertThat(matches(runs.get("2024-09-13 wechatpay"))).containsExactly("date-lag 1 [pay-" + t19 + "]");
    assertThat(runs.get("2024-09-13 wechatpay").get("summary").get("closed_break_ids")).hasSize(1);
    assertThat(breaks(runs.get("2024-09-13 funds"))).containsExactlyInAnyOrder("AMOUNT_MISMATCH " + t28,
        "MISSING_IN_LEDGER " + t29, "MISSING_IN_LEDGER " + t29);
    assertThat(rules(runs.get("2024-09-13 funds"))).isEqualTo(Map.of("many-to-one-sum", 8, "amount-and-date", 2));
    assertThat(matches(runs.get("2024-09-13 funds"))).contains("amount-and-date 1 [set-2a]",
        "amount-and-date 1 [set-2b]", "many-to-one-sum 2 [pay-" + t19 + "]");
    assertThat(runs.get("2024-09-13 funds").get("summary").get("closed_break_ids")).hasSize(1);
    assertThat(breaks(runs.get("2024-09-13 bank"))).isEmpty();
    assertThat(matches(runs.get("2024-09-13 bank"))).containsExactly("one-to-many-sum 1 [set-2a, set-2b]");

    // Day 3: yesterday's line again; the fee the bill's rate contradicts; the fee the wallet took
    // beyond the booking; the bank's credit net of its fee.
    assertThat(breaks(runs.get("2024-09-14 wechatpay"))).containsExactlyInAnyOrder(
        "DUPLICATE_ACROSS_STATEMENTS " + txn(2, 1), "FEE_MISMATCH " + txn(3, 8));
    JsonNode rate = runs.get("2024-09-14 wechatpay").get("breaks").findValues("fee_rate").get(0);
    assertThat(rate.asText()).isEqualTo("0.6%");
    assertThat(rules(runs.get("2024-09-14 wechatpay"))).isEqualTo(Map.of("exact-key", 4));
    assertThat(breaks(runs.get("2024-09-14 funds"))).containsExactly("AMOUNT_MISMATCH " + txn(3, 9));
    assertThat(rules(runs.get("2024-09-14 funds"))).isEqualTo(Map.of("many-to-one-sum", 8, "amount-and-date", 1));
    // The wallet beside the ledger that day: it took 1.00 more in fees than was booked.
    JsonNode day3 = runs.get("2024-09-14 funds").get("days").get(0);
    assertThat(day3.get("day").asText()).isEqualTo("2024-09-14");
    assertThat(day3.get("withdrawals").asText()).isEqualTo("-" + Amounts.formatMinor(w3(), CNY));
    assertThat(day3.get("wallet_movement").asText()).isEqualTo("0.00");
    assertThat(day3.get("difference").asText()).isEqualTo("-1.00");
    assertThat(breaks(runs.get("2024-09-14 bank"))).isEmpty();
    assertThat(matches(runs.get("2024-09-14 bank"))).containsExactly("one-to-many-sum 1 [set-3, bankfee-3]");

    // Every run's breaks are stored once: rerunning all nine files changes nothing.
    int stored = Json.MAPPER.readTree(cli.run("breaks", "--status", "all", "--format", "json").out()).size();
    assertThat(stored).isEqualTo(10);
    assertThat(reconcile("wechatpay", dir.resolve("wechatpay-2024-09-13.csv")).get("existing_run").asBoolean()).isTrue();
    assertThat(Json.MAPPER.readTree(cli.run("breaks", "--status", "all", "--format", "json").out())).hasSize(stored);
    assertThat(cli.run("verify").exitCode()).isZero();
  }
}
