package dev.ledger.bench;

/**
 * One measured figure beside its baseline from the same run. {@code ratio} is always
 * figure / baseline in the figure's unit; {@code target} says which direction is good.
 */
public record Figure(String workload, String name, double value, String unit, String baselineName,
    double baseline, String target, Boolean met, String note) {

  public double ratio() {
    return baseline == 0 || Double.isNaN(baseline) ? Double.NaN : value / baseline;
  }

  public static Figure of(String workload, String name, double value, String unit, String baselineName,
      double baseline, String target, Boolean met) {
    return new Figure(workload, name, value, unit, baselineName, baseline, target, met, "");
  }

  public Figure note(String text) {
    return new Figure(workload, name, value, unit, baselineName, baseline, target, met, text);
  }
}
