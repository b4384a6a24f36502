package dev.ledger.cli.statements;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.TrialBalanceLine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accounts as a tree with subtotals, as hledger shows them: every account from a root down to a
 * depth, each summing the accounts below it; deeper accounts are folded into their ancestor at
 * that depth. Sums are exact (BigInteger minor units). Immutable and thread-safe.
 */
public final class AccountTree {
  /** One account of the tree in one currency; {@code balance} in the account's normal direction. */
  public record Node(String account, int depth, String currency, BigInteger debits, BigInteger credits) {
    public BigInteger balance() {
      Side normal = AccountCode.parse(account).normalSide();
      return normal == Side.DEBIT ? debits.subtract(credits) : credits.subtract(debits);
    }

    /** The last segment of the code, the way an indented tree names a child. */
    public String name() {
      return account.substring(account.lastIndexOf(':') + 1);
    }
  }

  /** Segment by segment, so that a parent comes right before its children. */
  static final Comparator<String> TREE_ORDER = (a, b) -> {
    String[] x = a.split(":");
    String[] y = b.split(":");
    return Arrays.compare(x, y);
  };

  private final List<Node> nodes;
  private final int top;

  private AccountTree(List<Node> nodes, int top) {
    this.nodes = List.copyOf(nodes);
    this.top = top;
  }

  /**
   * The tree of the accounts of {@code lines} under {@code root} (the root itself is the first
   * node), down to {@code depth} segments counted from the top of the chart (null: every level).
   */
  public static AccountTree of(List<TrialBalanceLine> lines, AccountCode root, Integer depth) {
    List<Sum> sums = new ArrayList<>(lines.size());
    for (TrialBalanceLine line : lines) {
      sums.add(new Sum(line.account().value(), line.balance().currency().getCurrencyCode(),
          BigInteger.valueOf(line.balance().debitsMinor()), BigInteger.valueOf(line.balance().creditsMinor())));
    }
    return ofSums(sums, root, depth);
  }

  /** Debits and credits of one account in one currency, in minor units. */
  public record Sum(String account, String currency, BigInteger debits, BigInteger credits) {}

  /** As {@link #of}, from sums (e.g. the movements of a period). */
  public static AccountTree ofSums(List<Sum> lines, AccountCode root, Integer depth) {
    int rootDepth = segments(root.value());
    int maxDepth = depth == null ? Integer.MAX_VALUE : Math.max(depth, rootDepth);
    // (account, currency) -> {debits, credits}
    Map<String, Map<String, BigInteger[]>> sums = new TreeMap<>(TREE_ORDER);
    for (Sum line : lines) {
      if (!AccountCode.parse(line.account()).isUnder(root)) {
        continue;
      }
      String code = line.account();
      String[] parts = code.split(":");
      String currency = line.currency();
      for (int level = rootDepth; level <= Math.min(parts.length, maxDepth); level++) {
        String ancestor = String.join(":", Arrays.copyOf(parts, level));
        BigInteger[] sum = sums.computeIfAbsent(ancestor, a -> new TreeMap<>())
            .computeIfAbsent(currency, c -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        sum[0] = sum[0].add(line.debits());
        sum[1] = sum[1].add(line.credits());
      }
    }
    List<Node> nodes = new ArrayList<>();
    sums.forEach((account, byCurrency) -> byCurrency.forEach((currency, sum) ->
        nodes.add(new Node(account, segments(account), currency, sum[0], sum[1]))));
    return new AccountTree(nodes, rootDepth);
  }

  static int segments(String code) {
    return code.split(":").length;
  }

  public List<Node> nodes() {
    return nodes;
  }

  /** The root's own nodes (one per currency): the totals. */
  public List<Node> totals() {
    return nodes.stream().filter(n -> n.depth() == top).toList();
  }

  /** How a table shows a node: the root by its code, others by name, two spaces a level. */
  public String label(Node node) {
    return node.depth() == top ? node.account() : "  ".repeat(node.depth() - top) + node.name();
  }
}
