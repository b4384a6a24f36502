package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.db.jooq.DefaultSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Field;
import org.jooq.Table;
import org.junit.jupiter.api.Test;

/** The jOOQ model generated from the migration scripts matches the Flyway-migrated live schema. */
class GeneratedSchemaTest {
  private static String normalise(String type) {
    String t = type.toLowerCase();
    return switch (t) {
      case "timestamp with time zone", "timestamptz", "timestamp(6) with time zone" -> "timestamptz";
      case "character varying", "varchar" -> "varchar";
      case "bytea", "blob", "varbinary", "binary large object" -> "bytea";
      case "jsonb", "json" -> "json";
      case "int", "int4", "integer" -> "integer";
      case "int8", "bigint" -> "bigint";
      case "bool", "boolean" -> "boolean";
      default -> t;
    };
  }

  @Test
  void everyGeneratedTableAndColumnExistsLiveWithTheSameTypeLengthAndNullability() throws SQLException {
    Map<String, String> generated = new TreeMap<>();
    for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
      for (Field<?> field : table.fields()) {
        var type = field.getDataType();
        generated.put(table.getName() + "." + field.getName(), normalise(type.getTypeName())
            + (type.hasLength() && type.length() > 0 ? "(" + type.length() + ")" : "")
            + (type.nullable() ? " null" : " not null"));
      }
    }
    Map<String, String> live = new TreeMap<>();
    String name = TestDatabases.freshName();
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable
            FROM information_schema.columns WHERE table_schema = 'public'
              AND table_name <> 'flyway_schema_history'""")) {
      while (rs.next()) {
        String key = rs.getString(1) + "." + rs.getString(2);
        if (generated.containsKey(key) || DefaultSchema.DEFAULT_SCHEMA.getTable(rs.getString(1)) != null) {
          int length = rs.getInt(4);
          live.put(key, normalise(rs.getString(3)) + (length > 0 ? "(" + length + ")" : "")
              + ("YES".equals(rs.getString(5)) ? " null" : " not null"));
        }
      }
    }
    assertThat(generated).isNotEmpty().isEqualTo(live);
    assertThat(DefaultSchema.DEFAULT_SCHEMA.getTables()).extracting(Table::getName)
        .contains("accounts", "entries", "postings", "balances", "balance_days", "chain_head");
  }
}
