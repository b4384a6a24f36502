package dev.ledger.cli.demo;

import dev.ledger.money.Amounts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Writes an ISO 20022 camt.053.001.02 bank statement with opening and closing booked balances. */
public final class CamtStatement {
  private record Movement(long amount, LocalDate booked, LocalDate value, String reference, String endToEnd,
      String info) {}

  private final String account;
  private final String currency;
  private final LocalDate day;
  private final long opening;
  private final List<Movement> movements = new ArrayList<>();

  public CamtStatement(String account, String currency, LocalDate day, long openingMinor) {
    this.account = account;
    this.currency = currency;
    this.day = day;
    this.opening = openingMinor;
  }

  /** A signed movement: credits positive. */
  public CamtStatement movement(long amountMinor, LocalDate valueDate, String reference, String endToEnd, String info) {
    movements.add(new Movement(amountMinor, day, valueDate, reference, endToEnd, info));
    return this;
  }

  public String xml() {
    long closing = opening;
    for (Movement movement : movements) {
      closing += movement.amount();
    }
    StringBuilder out = new StringBuilder();
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt>\n");
    out.append("<GrpHdr><MsgId>DEMO-").append(day).append("</MsgId><CreDtTm>").append(day.plusDays(1))
        .append("T06:00:00+08:00</CreDtTm></GrpHdr>\n");
    out.append("<Stmt>\n<Id>STMT-").append(day).append("</Id>\n<CreDtTm>").append(day.plusDays(1))
        .append("T06:00:00+08:00</CreDtTm>\n");
    out.append("<FrToDt><FrDtTm>").append(day).append("T00:00:00+08:00</FrDtTm><ToDtTm>").append(day)
        .append("T23:59:59+08:00</ToDtTm></FrToDt>\n");
    out.append("<Acct><Id><Othr><Id>").append(account).append("</Id></Othr></Id><Ccy>").append(currency)
        .append("</Ccy></Acct>\n");
    balance(out, "OPBD", opening, day.minusDays(1));
    balance(out, "CLBD", closing, day);
    for (Movement movement : movements) {
      out.append("<Ntry>\n");
      amount(out, movement.amount());
      out.append("<Sts>BOOK</Sts>\n<BookgDt><Dt>").append(movement.booked()).append("</Dt></BookgDt>\n");
      out.append("<ValDt><Dt>").append(movement.value()).append("</Dt></ValDt>\n");
      out.append("<AcctSvcrRef>").append(escape(movement.reference())).append("</AcctSvcrRef>\n");
      out.append("<BkTxCd><Prtry><Cd>").append(movement.amount() >= 0 ? "CREDIT" : "DEBIT")
          .append("</Cd></Prtry></BkTxCd>\n");
      out.append("<NtryDtls><TxDtls>\n<Refs>");
      if (movement.endToEnd() != null) {
        out.append("<EndToEndId>").append(escape(movement.endToEnd())).append("</EndToEndId>");
      }
      out.append("</Refs>\n");
      out.append("<RmtInf><Ustrd>").append(escape(movement.info())).append("</Ustrd></RmtInf>\n");
      out.append("</TxDtls></NtryDtls>\n</Ntry>\n");
    }
    out.append("</Stmt>\n</BkToCstmrStmt>\n</Document>\n");
    return out.toString();
  }

  private void balance(StringBuilder out, String code, long amount, LocalDate date) {
    out.append("<Bal><Tp><CdOrPrtry><Cd>").append(code).append("</Cd></CdOrPrtry></Tp>\n");
    amount(out, amount);
    out.append("<Dt><Dt>").append(date).append("</Dt></Dt></Bal>\n");
  }

  private void amount(StringBuilder out, long amount) {
    out.append("<Amt Ccy=\"").append(currency).append("\">")
        .append(Amounts.formatMinor(Math.abs(amount), Amounts.currency(currency))).append("</Amt>\n");
    out.append("<CdtDbtInd>").append(amount >= 0 ? "CRDT" : "DBIT").append("</CdtDbtInd>\n");
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
