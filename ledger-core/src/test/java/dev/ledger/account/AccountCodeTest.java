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
  void acceptsExactlyTheCodesWhoseSegmentsMatchTheDocumentedRule() {
    java.util.regex.Pattern segment = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    String alphabet = "az09_.-:A #";
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    int accepted = 0;
    for (int n = 0; n < 50_000; n++) {
      StringBuilder tail = new StringBuilder();
      for (int i = random.nextInt(7); i > 0; i--) {
        tail.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String code = (random.nextBoolean() ? "assets:" : "") + tail;
      boolean expected = !code.isEmpty() && code.startsWith("assets")
          && java.util.Arrays.stream(code.split(":", -1)).allMatch(s -> segment.matcher(s).matches());
      boolean actual;
      try {
        AccountCode.parse(code);
        actual = true;
      } catch (IllegalArgumentException e) {
        actual = false;
      }
      assertThat(actual).as(code).isEqualTo(expected);
      accepted += actual ? 1 : 0;
    }
    assertThat(accepted).as("codes accepted of 50,000").isGreaterThan(1_000);
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
