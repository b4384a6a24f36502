package dev.ledger.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Objects;
import javax.sql.DataSource;

/** Digests of the chain head and verification against them (DESIGN section 3); read-only. */
public final class ChainAudit {
  private final DataSource dataSource;

  public ChainAudit(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * The chain head after sealing everything committed (durably: an auditor keeps this digest), as
   * sequence, hash and recording time of the last sealed record.
   */
  public ChainDigest digest() {
    try (Connection c = dataSource.getConnection()) {
      try {
        Sealer.sealAll(c, true);
      } catch (SQLException | RuntimeException e) {
        throw SqlErrors.translate("Sealing the hash chain before the digest", e);
      }
      return head(c);
    } catch (SQLException e) {
      throw SqlErrors.translate("Reading the chain head", e);
    }
  }

  private static ChainDigest head(Connection c) {
    try (PreparedStatement s = c.prepareStatement(HotSql.CHAIN_HEAD);
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new LedgerStoreException(LedgerStoreException.Kind.INTEGRITY_VIOLATION,
            "Reading the chain head: the chain_head row is missing (run 'ledger verify')", null);
      }
      return new ChainDigest(rs.getLong(1), HexFormat.of().formatHex(rs.getBytes(2)),
          rs.getObject(3, OffsetDateTime.class).toInstant());
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate("Reading the chain head", e);
    }
  }

  /**
   * Recomputes the ledger as {@link LedgerDatabase#verify()} does and, when {@code digests} is not
   * null, also proves that the ledger still extends each of them.
   */
  public VerifyReport verify(DigestFile digests) {
    try (Connection c = dataSource.getConnection()) {
      return Verifier.verify(c, digests);
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate("Verifying the ledger", e);
    }
  }
}
