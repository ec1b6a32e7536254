package io.daskmpi.operator.submit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory in MiB, as Slurm wants it, from a Kubernetes binary quantity ({@code 512Mi}, {@code 1Gi})
 * or a Slurm size ({@code 1G}, {@code 500M}; Slurm's letters are powers of 1024). A bare number is
 * MiB, Slurm's default unit.
 */
final class MemorySize {
  private static final Pattern QUANTITY =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(Ki|Mi|Gi|Ti|[KkMGT])?");

  private MemorySize() {}

  static long mebibytes(String text) {
    Matcher m = QUANTITY.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is no memory size: use e.g. 512Mi, 1Gi, 500M or 2G");
    }
    BigDecimal value = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "M" : m.group(2);
    BigDecimal factor =
        switch (unit) {
          case "Ki", "K", "k" -> BigDecimal.ONE.divide(BigDecimal.valueOf(1024));
          case "Mi", "M" -> BigDecimal.ONE;
          case "Gi", "G" -> BigDecimal.valueOf(1024);
          default -> BigDecimal.valueOf(1024L * 1024);
        };
    long mib = value.multiply(factor).setScale(0, RoundingMode.CEILING).longValueExact();
    if (mib < 1) {
      throw new IllegalArgumentException("'" + text + "' is less than 1 MiB");
    }
    return mib;
  }
}
