package dev.ledger.statement.wechatpay;

import dev.ledger.account.AccountCode;
import dev.ledger.settlement.Chart;
import dev.ledger.statement.SourceProfile;
import dev.ledger.statement.SourceProfile.MatchKey;
import dev.ledger.statement.SourceProfile.SourceKind;
import java.time.ZoneId;

/** WeChat Pay (微信支付): its accounts, zone and files. */
public final class WechatPay {
  public static final String PROVIDER = "wechatpay";
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  public static final AccountCode CLEARING = Chart.clearing(PROVIDER);
  public static final AccountCode FEES = Chart.fees(PROVIDER);

  /** The trade bill (交易账单). */
  public static final SourceProfile TRADE_BILL = new SourceProfile(SourceKind.WALLET_BILL, PROVIDER, CLEARING, FEES, ZONE,
      MatchKey.PROVIDER_IDS, 3, false, mapping -> new WechatPayBillParser());

  /** The fund-flow bill (资金账单): every movement of the wallet balance, fees and withdrawals included. */
  public static final SourceProfile FUND_FLOW = new SourceProfile(SourceKind.WALLET_FUNDS, PROVIDER, CLEARING, FEES,
      ZONE, MatchKey.PROVIDER_IDS, 3, false, mapping -> new WechatPayFundsParser());

  private WechatPay() {}
}
