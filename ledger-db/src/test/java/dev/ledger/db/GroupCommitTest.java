package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Concurrent single-entry posts share batches, and each caller still gets the result it would get
 * posting alone: the first batch is held open inside the database call so that the posts arriving
 * meanwhile queue up and are taken together by the next writer.
 */
class GroupCommitTest {
  private static final Instant T0 = Instant.parse("2024-09-01T08:00:00Z");

  /** Holds the first batch inside submit until released; records every batch's ids. */
  private static final class HeldFirstBatch implements Function<List<Entry>, BatchResult> {
    final CountDownLatch firstEntered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final Function<List<Entry>, BatchResult> target;

    HeldFirstBatch(Function<List<Entry>, BatchResult> target) {
      this.target = target;
    }

    @Override
    public BatchResult apply(List<Entry> entries) {
      batches.add(entries.stream().map(Entry::id).toList());
      if (firstEntered.getCount() > 0) {
        firstEntered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return target.apply(entries);
    }
  }

  private static Entry move(String id, String from, String to, String amount) {
    return Entry.of(id, T0, "move", Map.of(), List.of(Posting.credit(from, amount, "CNY"),
        Posting.debit(to, amount, "CNY")));
  }

  /**
   * Posts the first entry, waits until it is inside submit, then the others, waits until they are
   * all queued, and releases it; the futures are in posting order.
   */
  private static List<Future<PostResult>> submitWhileFirstIsHeld(ExecutorService pool, GroupCommit group,
      HeldFirstBatch held, Entry first, List<Entry> others) throws Exception {
    List<Future<PostResult>> futures = new ArrayList<>();
    futures.add(pool.submit(() -> group.post(first)));
    assertThat(held.firstEntered.await(30, TimeUnit.SECONDS)).isTrue();
    for (Entry entry : others) {
      futures.add(pool.submit(() -> group.post(entry)));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (group.queued() < others.size() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(group.queued()).isEqualTo(others.size());
    held.release.countDown();
    return futures;
  }

  /** As submitWhileFirstIsHeld, with every post's result. */
  private static List<PostResult> postWhileFirstIsHeld(GroupCommit group, HeldFirstBatch held, Entry first,
      List<Entry> others) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(others.size() + 1);
    try {
      List<PostResult> results = new ArrayList<>();
      for (Future<PostResult> f : submitWhileFirstIsHeld(pool, group, held, first, others)) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void postsThatArriveWhileABatchIsInFlightAreCommittedTogetherInOneTransaction() throws Exception {
    try (LedgerDatabase database = TestDatabases.fresh()) {
      PostgresLedger ledger = database.ledger();
      HeldFirstBatch held = new HeldFirstBatch(ledger::postAll);
      GroupCommit group = new GroupCommit(1, 100, held);
      List<Entry> others = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        others.add(move("later-" + i, "equity:capital", "assets:bank:b" + i, "1.0" + i));
      }

      List<PostResult> results = postWhileFirstIsHeld(group, held,
          move("first", "equity:capital", "assets:bank:first", "9.00"), others);

      assertThat(results).extracting(PostResult::status).containsOnly(PostStatus.CREATED);
      assertThat(held.batches).hasSize(2);
      assertThat(held.batches.get(1)).containsExactlyInAnyOrder(
          "later-0", "later-1", "later-2", "later-3", "later-4");
      // One transaction: one recording time for the five.
      assertThat(others.stream().map(e -> ledger.entry(e.id()).orElseThrow().recordedAt()).distinct())
          .hasSize(1);
      assertThat(database.verify().ok()).isTrue();
    }
  }

  @Test
  void anEntryRejectedInASharedBatchGetsItsOwnResultAndTheOthersAreStillCreated() throws Exception {
    try (LedgerDatabase database = TestDatabases.fresh()) {
      PostgresLedger ledger = database.ledger();
      ledger.createAccount(Account.noOverdraft("assets:wallet:pool"));
      HeldFirstBatch held = new HeldFirstBatch(ledger::postAll);
      GroupCommit group = new GroupCommit(1, 100, held);
      List<Entry> others = List.of(
          move("ok-1", "equity:capital", "assets:bank:one", "1.00"),
          move("overdraws", "assets:wallet:pool", "expenses:fees", "50.01"),
          move("ok-2", "equity:capital", "assets:bank:two", "2.00"),
          move("ok-3", "equity:capital", "assets:bank:three", "3.00"));

      List<PostResult> results = postWhileFirstIsHeld(group, held,
          move("fund", "equity:capital", "assets:wallet:pool", "50.00"), others);

      assertThat(results).extracting(PostResult::entryId, PostResult::status).containsExactly(
          org.assertj.core.groups.Tuple.tuple("fund", PostStatus.CREATED),
          org.assertj.core.groups.Tuple.tuple("ok-1", PostStatus.CREATED),
          org.assertj.core.groups.Tuple.tuple("overdraws", PostStatus.OVERDRAFT),
          org.assertj.core.groups.Tuple.tuple("ok-2", PostStatus.CREATED),
          org.assertj.core.groups.Tuple.tuple("ok-3", PostStatus.CREATED));
      assertThat(held.batches).as("the shared batch, then its entries one by one").hasSize(6);
      assertThat(ledger.balance(BalanceQuery.of(AccountCode.parse("assets:wallet:pool")))
          .balanceMinor(Amounts.currency("CNY"))).isEqualTo(5000);
      assertThat(ledger.entry("overdraws")).isEmpty();
    }
  }

  @Test
  void twoCallersPostingOneIdWithDifferentContentGetCreatedAndExistsWithDifferentContent() throws Exception {
    try (LedgerDatabase database = TestDatabases.fresh()) {
      PostgresLedger ledger = database.ledger();
      HeldFirstBatch held = new HeldFirstBatch(ledger::postAll);
      GroupCommit group = new GroupCommit(1, 100, held);

      List<PostResult> results = postWhileFirstIsHeld(group, held,
          move("first", "equity:capital", "assets:bank:a", "1.00"),
          List.of(move("twice", "equity:capital", "assets:bank:a", "1.00"),
              move("twice", "equity:capital", "assets:bank:a", "2.00")));

      assertThat(results.get(0).status()).isEqualTo(PostStatus.CREATED);
      assertThat(results.subList(1, 3)).extracting(PostResult::status)
          .containsExactlyInAnyOrder(PostStatus.CREATED, PostStatus.EXISTS_WITH_DIFFERENT_CONTENT);
    }
  }

  @Test
  void aCallerMistakeReachesOnlyTheCallerWhoMadeIt() throws Exception {
    HeldFirstBatch held = new HeldFirstBatch(entries -> {
      if (entries.stream().anyMatch(e -> e.id().equals("bad"))) {
        throw new IllegalArgumentException("Entry bad is not storable");
      }
      return new BatchResult(entries.stream().map(e -> new PostResult(e.id(), PostStatus.CREATED, "")).toList());
    });
    GroupCommit group = new GroupCommit(1, 100, held);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<PostResult>> futures = submitWhileFirstIsHeld(pool, group, held,
          move("first", "equity:c", "assets:a", "1.00"),
          List.of(move("good", "equity:c", "assets:a", "1.00"), move("bad", "equity:c", "assets:a", "1.00")));
      assertThat(futures.get(0).get(30, TimeUnit.SECONDS).status()).isEqualTo(PostStatus.CREATED);
      assertThat(futures.get(1).get(30, TimeUnit.SECONDS).status()).isEqualTo(PostStatus.CREATED);
      assertThatThrownBy(() -> futures.get(2).get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("Entry bad");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWriterSlotOrABatchSizeBelowOneIsRefused() {
    assertThatThrownBy(() -> new GroupCommit(0, 10, entries -> null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 and 10");
  }
}
