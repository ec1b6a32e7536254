package io.daskmpi.operator.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower with the job's writes driven by the test: each pause appends the next piece of
 * output, and the job "ends" after the last one, so no test waits on time.
 */
class OutputFollowerTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** The file, or null while it does not exist. */
  private static OutputFollower.Opener opener(Path file) {
    return () -> Files.exists(file) ? Files.newInputStream(file) : null;
  }

  private String shown() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A pause that writes the next piece to FILE; when none is left, the job has ended. */
  private static final class Job implements OutputFollower.Pause {
    private final Path file;
    private final Deque<String> pieces;
    final AtomicInteger pauses = new AtomicInteger();

    Job(Path file, String... pieces) {
      this.file = file;
      this.pieces = new ArrayDeque<>(java.util.List.of(pieces));
    }

    @Override
    public void pause() {
      pauses.incrementAndGet();
      String next = pieces.poll();
      if (next != null) {
        try {
          Files.writeString(file, next, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }

    boolean ended() {
      return pieces.isEmpty();
    }
  }

  @Test
  void withoutFollowingTheFileIsSentAsItIsIncludingAnUnfinishedLastLine() throws Exception {
    Path file = Files.writeString(dir.resolve("out"), "1 client: a\n0 scheduler: b\n1 client: c");
    boolean found =
        new OutputFollower(RankFilter.ALL, out)
            .copy(
                opener(file),
                null,
                () -> {
                  throw new AssertionError("no pause without following");
                });
    assertThat(found).isTrue();
    assertThat(shown()).isEqualTo("1 client: a\n0 scheduler: b\n1 client: c\n");
  }

  @Test
  void followingSendsWhatTheJobAppendsUntilItEndsAndNothingWrittenBeforeTheEndIsLost()
      throws Exception {
    Path file = dir.resolve("out");
    // The file appears only after the first pause (the job was queued), a line comes in two
    // writes, and the last piece is written just before the job is seen to have ended.
    Job job = new Job(file, "1 client: up\n2 wor", "ker: ready\n1 client: res", "ult 42\n");
    boolean found = new OutputFollower(RankFilter.of(1), out).copy(opener(file), job::ended, job);
    assertThat(found).isTrue();
    assertThat(shown()).isEqualTo("up\nresult 42\n");
    assertThat(job.pauses).hasValue(3);
  }

  @Test
  void aJobThatEndsWithoutAnOutputFileIsReported() throws Exception {
    Path file = dir.resolve("never");
    Job job = new Job(dir.resolve("elsewhere"), "x");
    assertThat(new OutputFollower(RankFilter.ALL, out).copy(opener(file), job::ended, job))
        .isFalse();
    assertThat(shown()).isEmpty();
  }

  @Test
  void aVeryLongLineIsSentWholeInPiecesThatFollowTheFirstOnesRank() throws Exception {
    // "é" is two bytes, the second of them the first byte of the second piece.
    String longText = "x".repeat(OutputFollower.MAX_LINE - "1 client: ".length() - 1) + "é" + "y";
    Path file =
        Files.writeString(
            dir.resolve("out"),
            "1 client: " + longText + "\n2 worker: " + longText + "\n1 client: short\n");

    new OutputFollower(RankFilter.ALL, out).copy(opener(file), null, () -> {});
    assertThat(shown().lines())
        .containsExactly("1 client: " + longText, "2 worker: " + longText, "1 client: short");

    out.reset();
    new OutputFollower(RankFilter.of(1), out).copy(opener(file), null, () -> {});
    assertThat(shown().lines()).containsExactly(longText, "short");
  }
}
