package dev.ledger.bench.micro;

import dev.ledger.statement.alipay.AlipayBillParser;
import dev.ledger.statement.camt.CamtParser;
import dev.ledger.statement.csv.CsvMapping;
import dev.ledger.statement.csv.CsvStatementParser;
import dev.ledger.statement.mt940.Mt940Parser;
import dev.ledger.statement.StatementParser;
import dev.ledger.statement.wechatpay.WechatPayBillParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntFunction;

/** Generated statements of n lines per format, held in memory (formats as in ParserBenchmark). */
public final class StatementFiles {
  private StatementFiles() {}

  public static Charset charset(String format) {
    return format.equals("alipay") ? Charset.forName("GBK") : StandardCharsets.UTF_8;
  }

  public static StatementParser parser(String format) {
    return switch (format) {
      case "wechatpay" -> new WechatPayBillParser();
      case "alipay" -> new AlipayBillParser();
      case "mt940" -> new Mt940Parser();
      case "camt053" -> new CamtParser();
      case "csv" -> new CsvStatementParser(CsvMapping.of(Map.of(
          "txn_id", "id", "datetime", "time", "amount", "amount", "fee", "fee", "fixed_currency", "CNY")));
      default -> throw new IllegalArgumentException(format);
    };
  }

  public static byte[] generate(String format, int n) {
    return switch (format) {
      case "wechatpay" -> wechat(n);
      case "alipay" -> alipay(n);
      case "mt940" -> build(":20:REF\r\n:25:DE89370400440532013000\r\n:28C:1/1\r\n:60F:C240911EUR0,00\r\n",
          i -> ":61:2409120912C1,00NTRFORDER" + i + "//B" + i + "\r\n:86:PAYMENT " + i + "\r\n", n,
          ":62F:C240912EUR" + n + ",00\r\n-\r\n", StandardCharsets.UTF_8);
      case "camt053" -> build("<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"
          + "<BkToCstmrStmt><Stmt><Id>S</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n",
          i -> "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-09-12</Dt></BookgDt>"
              + "<ValDt><Dt>2024-09-12</Dt></ValDt><AcctSvcrRef>B" + i + "</AcctSvcrRef><NtryDtls><TxDtls><Refs>"
              + "<EndToEndId>E" + i + "</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>\n",
          n, "</Stmt></BkToCstmrStmt></Document>\n", StandardCharsets.UTF_8);
      case "csv" -> build("id,time,amount,fee\n", i -> "T" + i + ",2024-09-12 10:15:02,100.00,0.60\n", n, "",
          StandardCharsets.UTF_8);
      default -> throw new IllegalArgumentException(format);
    };
  }

  private static byte[] wechat(int n) {
    String header = "\uFEFF交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
        + "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n";
    long feeCents = n * 60L;
    String summary = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n`" + n + ",`" + n
        + "00.00,`0.00,`0.00,`" + feeCents / 100 + "." + String.format("%02d", feeCents % 100) + ",`" + n + "00.00,`0.00\r\n";
    return build(header, i -> "`2024-09-12 10:15:" + (10 + i % 50) + ",`wx2421b1c4370ec43b,`1900000109,`0,`,`42000012342024091"
        + (10_000_000_000L + i) + ",`O-" + i + ",`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`CMB_DEBIT,`CNY,`100.00,`0.00,`0,`0,"
        + "`0.00,`0.00,`,`,`午餐套餐,`,`0.60000,`0.60%,`100.00,`0.00,`\r\n", n, summary, StandardCharsets.UTF_8);
  }

  private static byte[] alipay(int n) {
    String header = "#支付宝业务明细查询\r\n#账号：[20881234567890120156]\r\n#起始日期：[2024年09月12日 00:00:00]   终止日期：[2024年09月13日 00:00:00]\r\n"
        + "#-----------------------------------------业务明细列表----------------------------------------\r\n"
        + "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,"
        + "支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\r\n";
    String footer = "#-----------------------------------------业务明细列表结束------------------------------------\r\n#交易合计：" + n
        + "笔，共" + n + "00.00元\r\n#退款合计：0笔，共0.00元\r\n";
    return build(header, i -> "2024091222" + (100_000_000_000_000_000L + i) + "\t,O-" + i + "\t,交易\t,商品\t,2024-09-12 10:15:02\t,"
        + "2024-09-12 10:15:05\t,\t,\t,\t,\t,buy***@163.com\t,100.00\t,100.00\t,0.00\t,0.00\t,0.00\t,0.00\t,0.00\t,\t,0.00\t,0.00\t,\t,"
        + "-0.60\t,0.00\t,\t\r\n", n, footer, Charset.forName("GBK"));
  }

  private static byte[] build(String header, IntFunction<String> line, int n, String footer, Charset charset) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(n * 200 + 1024);
    StringBuilder chunk = new StringBuilder(header);
    for (int i = 0; i < n; i++) {
      chunk.append(line.apply(i));
      if (chunk.length() > 1 << 16) {
        out.writeBytes(chunk.toString().getBytes(charset));
        chunk.setLength(0);
      }
    }
    chunk.append(footer);
    out.writeBytes(chunk.toString().getBytes(charset));
    return out.toByteArray();
  }
}
