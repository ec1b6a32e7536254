package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private static ByteArrayInputStream input(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void labelsLikeSrunLabelWithTheRole() {
    assertThat(Console.label(new Rank(0, 3, Launcher.SRUN, ""), true)).isEqualTo("0 scheduler: ");
    assertThat(Console.label(new Rank(1, 3, Launcher.SRUN, ""), true)).isEqualTo("1 client: ");
    assertThat(Console.label(new Rank(7, 9, Launcher.SRUN, ""), true)).isEqualTo("7 worker: ");
    assertThat(Console.label(new Rank(7, 9, Launcher.SRUN, ""), false)).isEmpty();
  }

  @Test
  void everyLineIsPrefixedIncludingAnUnterminatedLastOne() {
    Console console = new Console("2 worker: ", out, err);

    console.copyLines(input("first\nsecond\n\nlast without newline"), out);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "2 worker: first\n2 worker: second\n2 worker: \n2 worker: last without newline\n");
  }

  @Test
  void bytesPassThroughUntouched() {
    Console console = new Console("1 client: ", out, err);

    console.copyLines(input("Grüße 🚀\n"), out);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1 client: Grüße 🚀\n");
  }

  @Test
  void runtimeMessagesGoToStderr() {
    Console console = new Console("0 scheduler: ", out, err);

    console.error("boom");

    assertThat(out.size()).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("0 scheduler: dask-mpi-runtime: error: boom\n");
  }

  @Test
  void hugeLinesAreSplitRatherThanBuffered() {
    Console console = new Console("", out, err);

    console.copyLines(input("x".repeat(200_000)), out);

    assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(4);
  }
}
