package io.daskmpi.operator.submit;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes values for the batch script. Every value a user supplies reaches bash only through {@link
 * #quote}: inside single quotes nothing is special but the single quote itself, which is closed,
 * escaped and reopened. So {@code $(...)}, backticks, {@code ;}, {@code |} and newlines stay text.
 */
final class ShellWords {
  private ShellWords() {}

  static String quote(String value) {
    if (value.indexOf('\0') >= 0) {
      // bash cannot hold a NUL in a word; validation rejects it before rendering.
      throw new IllegalArgumentException("a NUL character cannot be passed to a shell");
    }
    if (!value.isEmpty() && value.chars().allMatch(ShellWords::isPlain)) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  static String join(List<String> words) {
    return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
  }

  /** Characters that need no quoting anywhere in a bash word (kept readable in the script). */
  private static boolean isPlain(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "@%+=:,./_-".indexOf(c) >= 0;
  }
}
