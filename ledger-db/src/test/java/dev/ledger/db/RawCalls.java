package dev.ledger.db;

import java.util.List;

/** SQL text of raw ledger_post and ledger_post_pending calls, for tests that talk to the functions. */
final class RawCalls {
  private RawCalls() {}

  /** One raw ledger_post call; postings are (entry number, account, amount), two per entry. */
  static String post(List<String> ids, List<String> reversals, List<Object[]> postings) {
    StringBuilder sql = new StringBuilder("SELECT ledger_post(ARRAY[");
    for (int i = 0; i < ids.size(); i++) {
      sql.append(i == 0 ? "'" : ", '").append(ids.get(i)).append('\'');
    }
    sql.append("]::varchar[], array_fill(now(), ARRAY[").append(ids.size()).append("]), array_fill('raw'::varchar, ARRAY[")
        .append(ids.size()).append("]), array_fill('{}'::jsonb, ARRAY[").append(ids.size()).append("]), ARRAY[");
    for (int i = 0; i < reversals.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(reversals.get(i) == null ? "NULL" : "'" + reversals.get(i) + "'");
    }
    sql.append("]::varchar[], array_fill(2, ARRAY[").append(ids.size()).append("]), ARRAY[");
    for (int i = 0; i < ids.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("sha256('").append(ids.get(i)).append("')");
    }
    StringBuilder entry = new StringBuilder();
    StringBuilder index = new StringBuilder();
    StringBuilder account = new StringBuilder();
    StringBuilder amount = new StringBuilder();
    for (int i = 0; i < postings.size(); i++) {
      String comma = i == 0 ? "" : ", ";
      entry.append(comma).append(postings.get(i)[0]);
      index.append(comma).append(i % 2);
      account.append(comma).append('\'').append(postings.get(i)[1]).append('\'');
      amount.append(comma).append(postings.get(i)[2]);
    }
    return sql.append("], ARRAY[").append(entry).append("], ARRAY[").append(index).append("], ARRAY[").append(account)
        .append("]::varchar[], array_fill('CNY'::varchar, ARRAY[").append(postings.size()).append("]), ARRAY[")
        .append(amount).append("]::bigint[])").toString();
  }

  /** One raw ledger_post_pending call on the guarded account: a hold, or a settlement of one. */
  static String pending(String id, String settles, String kind, long minor) {
    return "SELECT ledger_post_pending('" + id + "', now(), 'raw', '{}'::jsonb, sha256('" + id + "'), "
        + (settles == null ? "now() + interval '1 day', NULL, NULL" : "NULL, '" + settles + "', '" + kind + "'")
        + ", ARRAY['assets:guarded', 'liabilities:held'], ARRAY['CNY', 'CNY'], ARRAY[" + (-minor) + "::bigint, "
        + minor + "])";
  }
}
