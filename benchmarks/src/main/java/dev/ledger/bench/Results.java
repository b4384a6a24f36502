package dev.ledger.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run measured, in the order it was measured; printed as it goes. */
final class Results {
  final Map<String, String> machine = new LinkedHashMap<>();
  final Map<String, String> database = new LinkedHashMap<>();
  final List<Figure> figures = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  synchronized void add(Figure figure) {
    figures.add(figure);
    System.out.printf("  %-34s %s %s | baseline %s %s | ratio %s | %s%n", figure.name(),
        Report.number(figure.value()), figure.unit(), figure.baselineName(), Report.number(figure.baseline()),
        Report.ratio(figure.ratio()), figure.met() == null ? "" : figure.met() ? "met" : "MISSED");
  }

  synchronized void note(String text) {
    notes.add(text);
    System.out.println("  note: " + text);
  }
}
