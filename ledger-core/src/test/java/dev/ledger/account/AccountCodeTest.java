package dev.ledger.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccountCodeTest {

  @Test
  void takesTheTypeAndNormalSideFromTheFirstSegment() {
    assertThat(AccountCode.parse("assets:wallet:wechatpay:clearing").type()).isEqualTo(AccountType.ASSETS);
    assertThat(AccountCode.parse("expenses:fees:alipay").normalSide()).isEqualTo(Side.DEBIT);
    assertThat(AccountCode.parse("liabilities:merchant:m-88:payable").normalSide()).isEqualTo(Side.CREDIT);
    assertThat(AccountCode.parse("income:commission").normalSide()).isEqualTo(Side.CREDIT);
    assertThat(AccountCode.parse("equity:fx:usd-cny").type()).isEqualTo(AccountType.EQUITY);
  }

  @Test
  void rejectsAnUnknownAccountTypeNamingIt() {
    assertThatThrownBy(() -> AccountCode.parse("asset:bank:icbc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown account type 'asset'")
        .hasMessageContaining("asset:bank:icbc");
  }

  @Test
  void rejectsMalformedCodes() {
    assertThatThrownBy(() -> AccountCode.parse("Assets:Bank")).hasMessageContaining("Assets:Bank");
    assertThatThrownBy(() -> AccountCode.parse("assets::bank")).hasMessageContaining("assets::bank");
    assertThatThrownBy(() -> AccountCode.parse("assets:bank:")).hasMessageContaining("assets:bank:");
    assertThatThrownBy(() -> AccountCode.parse("")).hasMessageContaining("empty");
  }

  @Test
  void prefixCoversTheSubtreeButNotSiblingsSharingLetters() {
    AccountCode wallet = AccountCode.parse("assets:wallet");
    assertThat(AccountCode.parse("assets:wallet:alipay:clearing").isUnder(wallet)).isTrue();
    assertThat(AccountCode.parse("assets:wallet").isUnder(wallet)).isTrue();
    assertThat(AccountCode.parse("assets:wallets:other").isUnder(wallet)).isFalse();
    assertThat(AccountCode.parse("assets").isUnder(wallet)).isFalse();
  }
}
