package dev.ledger.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AmountsTest {

  @Test
  void parsesExactlyTheDecimalsTheDocumentedRuleAccepts() {
    java.util.regex.Pattern rule = java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?");
    String alphabet = "0123456789.-+e ";
    java.util.SplittableRandom random = new java.util.SplittableRandom(9);
    int accepted = 0;
    for (int n = 0; n < 60_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(1, n % 50 == 0 ? 26 : 8);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(n % 3 == 0 ? alphabet.length() : 11)));
      }
      String candidate = text.toString();
      for (String code : new String[] {"CNY", "JPY", "KWD"}) {
        javax.money.CurrencyUnit currency = Amounts.currency(code);
        java.math.BigDecimal expected = null;
        if (candidate.length() <= 32 && rule.matcher(candidate).matches()) {
          java.math.BigDecimal value = new java.math.BigDecimal(candidate);
          int allowed = Amounts.scale(currency);
          if (value.stripTrailingZeros().scale() <= allowed
              && value.setScale(allowed).unscaledValue().abs().compareTo(java.math.BigInteger.valueOf(Long.MAX_VALUE)) <= 0) {
            expected = value.setScale(allowed);
          }
        }
        java.math.BigDecimal actual;
        try {
          actual = Amounts.parseDecimal(candidate, currency);
        } catch (IllegalArgumentException e) {
          actual = null;
        }
        assertThat(actual).as(candidate + " " + code).isEqualTo(expected);
        if (actual != null) {
          accepted++;
          assertThat(Amounts.toMinor(Amounts.parse(candidate, currency)))
              .as(candidate + " " + code).isEqualTo(actual.unscaledValue().longValueExact());
        }
      }
    }
    assertThat(accepted).as("amounts accepted").isGreaterThan(5_000);
  }

  @Test
  void parsesPlainDecimalsToTheCurrencyScale() {
    assertThat(Amounts.format(Amounts.parse("100", "CNY"))).isEqualTo("100.00");
    assertThat(Amounts.format(Amounts.parse("0.6", "CNY"))).isEqualTo("0.60");
    assertThat(Amounts.format(Amounts.parse("-12.34", "USD"))).isEqualTo("-12.34");
    assertThat(Amounts.format(Amounts.parse("1500", "JPY"))).isEqualTo("1500");
    assertThat(Amounts.format(Amounts.parse("1.005", "KWD"))).isEqualTo("1.005");
  }

  @Test
  void rejectsMoreDecimalsThanTheCurrencyAllowsInsteadOfRounding() {
    assertThatThrownBy(() -> Amounts.parse("1.005", "CNY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.005")
        .hasMessageContaining("CNY")
        .hasMessageContaining("(2)");
    assertThatThrownBy(() -> Amounts.parse("10.5", "JPY")).hasMessageContaining("JPY allows (0)");
  }

  @Test
  void acceptsTrailingZerosBeyondTheScaleBecauseTheValueIsExact() {
    assertThat(Amounts.toMinor(Amounts.parse("0.60000", "CNY"))).isEqualTo(60);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e3", "1.0E2", "NaN", "Infinity", "1,234.56", "1.234,56", "+5", " 5", "5 ",
      "1,234.5.6", ".5", "5.", "0x10", "--1", "", "01.00"})
  void rejectsFloatLookingAndMalformedAmountsNamingTheValue(String text) {
    assertThatThrownBy(() -> Amounts.parse(text, "CNY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text.isEmpty() ? "empty" : text);
  }

  @Test
  void rejectsUnknownCurrencies() {
    assertThatThrownBy(() -> Amounts.currency("XYZ")).hasMessageContaining("XYZ");
    assertThatThrownBy(() -> Amounts.currency("cny")).hasMessageContaining("cny");
  }

  @Test
  void convertsBetweenMinorUnitsAndMoney() {
    assertThat(Amounts.toMinor(Amounts.parse("123.45", "CNY"))).isEqualTo(12345);
    assertThat(Amounts.format(Amounts.ofMinor(-5, Amounts.currency("CNY")))).isEqualTo("-0.05");
    assertThat(Amounts.formatMinor(7, Amounts.currency("KWD"))).isEqualTo("0.007");
  }

  @Test
  void anAmountBeyondALongOfMinorUnitsIsACallerMistakeNamingValueAndCurrency() {
    assertThat(Amounts.toMinor(Amounts.parse("92233720368547758.07", "CNY"))).isEqualTo(Long.MAX_VALUE);
    assertThat(Amounts.toMinor(Amounts.parse("-92233720368547758.07", "CNY"))).isEqualTo(-Long.MAX_VALUE);
    assertThatThrownBy(() -> Amounts.parse("92233720368547758.08", "CNY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("92233720368547758.08 CNY is out of range")
        .hasMessageContaining("92233720368547758.07");
    assertThatThrownBy(() -> Amounts.parse("1234567890123456789012345", "JPY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1234567890123456789012345 JPY");
    assertThatThrownBy(() -> Amounts.toMinor(org.javamoney.moneta.Money.of(
        new java.math.BigDecimal("1e20"), "CNY")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("100000000000000000000.00 CNY");
  }

  @Test
  void sumFitsExactlyWhenTheLongSumDoesNotWrap() {
    assertThat(Amounts.sumFits(Long.MAX_VALUE - 1, 1)).isTrue();
    assertThat(Amounts.sumFits(Long.MAX_VALUE, 1)).isFalse();
    assertThat(Amounts.sumFits(5_000_000_000_000_000_000L, 5_000_000_000_000_000_000L)).isFalse();
    assertThat(Amounts.sumFits(-Long.MAX_VALUE, -1)).isTrue();
    assertThat(Amounts.sumFits(Long.MIN_VALUE, -1)).isFalse();
  }
}
