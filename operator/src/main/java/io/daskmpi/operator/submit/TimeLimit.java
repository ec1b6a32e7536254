package io.daskmpi.operator.submit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job time limit in minutes, from Slurm's forms ({@code 30}, {@code MM:SS}, {@code HH:MM:SS},
 * {@code D-HH}, {@code D-HH:MM}, {@code D-HH:MM:SS}) or a unit suffix ({@code 30s}, {@code 5m},
 * {@code 1h}, {@code 2d}). Seconds round up to whole minutes, as Slurm does.
 */
public final class TimeLimit {
  private static final Pattern SUFFIXED = Pattern.compile("(\\d+)([smhd])");
  private static final Pattern DAYS =
      Pattern.compile("(\\d+)-(\\d{1,2})(?::(\\d{1,2})(?::(\\d{1,2}))?)?");
  private static final Pattern COLONS = Pattern.compile("(\\d+)(?::(\\d{1,2}))?(?::(\\d{1,2}))?");

  private TimeLimit() {}

  /** The minutes of a spec's timeLimit, or null when it is empty (the partition's default). */
  public static Integer ofSpec(String text) {
    return text == null || text.isEmpty() ? null : minutes(text);
  }

  /**
   * @throws IllegalArgumentException when the text is in no known form
   */
  static int minutes(String text) {
    String t = text.strip();
    Matcher m = SUFFIXED.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long seconds =
          switch (m.group(2)) {
            case "s" -> n;
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n * 86400;
          };
      return ceilMinutes(seconds);
    }
    m = DAYS.matcher(t);
    if (m.matches()) {
      return ceilMinutes(
          Long.parseLong(m.group(1)) * 86400
              + Long.parseLong(m.group(2)) * 3600
              + part(m.group(3)) * 60
              + part(m.group(4)));
    }
    m = COLONS.matcher(t);
    if (m.matches()) {
      if (m.group(2) == null) {
        return checked(Long.parseLong(m.group(1)));
      }
      if (m.group(3) == null) { // MM:SS
        return ceilMinutes(Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2)));
      }
      return ceilMinutes(
          Long.parseLong(m.group(1)) * 3600
              + Long.parseLong(m.group(2)) * 60
              + Long.parseLong(m.group(3)));
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is no time limit: use minutes (30), MM:SS, HH:MM:SS, D-HH[:MM[:SS]], or 30s/5m/1h/2d");
  }

  private static long part(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }

  private static int ceilMinutes(long seconds) {
    return checked((seconds + 59) / 60);
  }

  private static int checked(long minutes) {
    if (minutes < 1 || minutes > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "time limit must be at least one minute and finite, got " + minutes + " min");
    }
    return (int) minutes;
  }
}
