package io.daskmpi.operator.access;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which lines of a job's output a reader wants: every line as the job wrote it, or one rank's lines
 * without their label. Ranks label their lines themselves: the rank-role runtime as {@code "2
 * worker: "}, srun {@code --label} (the script launcher) as {@code "2: "}.
 */
record RankFilter(OptionalInt rank) {
  static final RankFilter ALL = new RankFilter(OptionalInt.empty());
  private static final Pattern LABEL =
      Pattern.compile("^ *(\\d{1,7})(?: (?:scheduler|client|worker))?: ");

  static RankFilter of(int rank) {
    return new RankFilter(OptionalInt.of(rank));
  }

  /** The line to show (without its line end), or empty to leave it out. */
  Optional<String> apply(String line) {
    if (rank.isEmpty()) {
      return Optional.of(line);
    }
    Matcher m = LABEL.matcher(line);
    if (!m.find() || Integer.parseInt(m.group(1)) != rank.getAsInt()) {
      return Optional.empty();
    }
    return Optional.of(line.substring(m.end()));
  }
}
