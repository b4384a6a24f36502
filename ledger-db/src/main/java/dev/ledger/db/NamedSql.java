package dev.ledger.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SQL with {@code :name} parameters bound by name, so one value may appear several times. */
final class NamedSql {
  private static final Pattern PARAMETER = Pattern.compile("(?<!:):([a-z][a-z0-9_]*)");
  private final String sql;
  private final List<String> names;
  private final boolean planEachTime;

  private NamedSql(String sql, List<String> names, boolean planEachTime) {
    this.sql = sql;
    this.names = names;
    this.planEachTime = planEachTime;
  }

  NamedSql(String text) {
    List<String> found = new ArrayList<>();
    Matcher matcher = PARAMETER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      found.add(matcher.group(1));
      matcher.appendReplacement(out, "?");
    }
    matcher.appendTail(out);
    this.sql = out.toString();
    this.names = List.copyOf(found);
    this.planEachTime = false;
  }

  /**
   * The same statement, planned by the server at each execution for its values instead of once
   * per connection: for reads whose best plan changes while a table grows from nearly empty,
   * which a cached generic plan would not follow until the next ANALYZE. Costs a planning each
   * time (a few tenths of a millisecond).
   */
  NamedSql planEachTime() {
    return new NamedSql(sql, names, true);
  }

  /** The statement with {@code ?} in place of each name, in order. */
  String sql() {
    return sql;
  }

  PreparedStatement prepare(Connection c, Map<String, Object> values) throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    if (planEachTime) {
      // Never a server-side prepared statement: the unnamed one is planned with its parameters.
      statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
    }
    for (int i = 0; i < names.size(); i++) {
      if (!values.containsKey(names.get(i))) {
        throw new IllegalStateException("No value for :" + names.get(i));
      }
      statement.setObject(i + 1, values.get(names.get(i)));
    }
    return statement;
  }
}
