package io.daskmpi.operator.bench;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sums of Prometheus samples, read from the text exposition of /metrics. */
final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

  private final String text;

  PrometheusText(String text) {
    this.text = text;
  }

  /**
   * The sum of every sample of {@code metric} whose labels match: each given label's value must
   * match its regular expression.
   */
  double sum(String metric, Map<String, String> labels) {
    double total = 0;
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(metric) && matches(m.group(3), labels)) {
        total += Double.parseDouble(m.group(4));
      }
    }
    return total;
  }

  private static boolean matches(String labelText, Map<String, String> wanted) {
    if (wanted.isEmpty()) {
      return true;
    }
    Map<String, String> have = new java.util.HashMap<>();
    if (labelText != null) {
      Matcher l = LABEL.matcher(labelText);
      while (l.find()) {
        have.put(l.group(1), l.group(2));
      }
    }
    return wanted.entrySet().stream()
        .allMatch(e -> have.containsKey(e.getKey()) && have.get(e.getKey()).matches(e.getValue()));
  }
}
