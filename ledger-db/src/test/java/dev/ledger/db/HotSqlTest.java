package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every statement of {@link HotSql} is planned by PostgreSQL against the migrated schema, as the
 * application role: a renamed column, a dropped index's query or a changed function signature
 * fails here, not in production.
 */
class HotSqlTest {
  private static Map<String, String> statements() throws IllegalAccessException {
    Map<String, String> all = new LinkedHashMap<>();
    for (Field field : HotSql.class.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (!Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)) {
        continue;
      }
      Object value = field.get(null);
      if (value instanceof String sql) {
        all.put(field.getName(), sql);
      } else if (value instanceof NamedSql named) {
        all.put(field.getName(), named.sql());
      }
    }
    return all;
  }

  @Test
  void everyHotStatementIsPlannedByPostgresqlAsTheAppRole() throws Exception {
    Map<String, String> statements = statements();
    assertThat(statements).containsKeys("POST", "SEAL", "ENTRY_HASHES", "PREFIX_SUMS", "HISTORY")
        .hasSizeGreaterThanOrEqualTo(13);
    try (LedgerDatabase database = TestDatabases.fresh();
        Connection c = database.dataSource().getConnection()) {
      for (Map.Entry<String, String> statement : statements.entrySet()) {
        try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + statement.getValue())) {
          int parameters = explain.getParameterMetaData().getParameterCount();
          for (int i = 1; i <= parameters; i++) {
            explain.setNull(i, Types.OTHER);
          }
          try (ResultSet plan = explain.executeQuery()) {
            assertThat(plan.next()).as(statement.getKey()).isTrue();
          }
        }
      }
    }
  }
}
