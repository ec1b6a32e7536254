package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client rank's shutdown against a real Dask scheduler and workers (separate processes, as the
 * ranks are): the workers leave one at a time, before the scheduler. Workers that close together
 * race the scheduler's note to each that another has left (Dask 2024), and the loser logs a
 * traceback in a successful job's output; how often depends on timing (about 1 job in 40 on the
 * local Slurm), so this checks the order itself, which does not. With the host's Dask (2022.12) and
 * with the 26.05 root's (2024.12), through {@code dev/local-slurm exec}.
 */
class ShutdownOrderIT {
  private static final int WORKERS = 4;
  private static final Path SOURCES = LocalSlurm.REPOSITORY.resolve("runtime/src");
  private Path dir;

  @BeforeEach
  void copyTheHarness() throws IOException {
    // Under the job user's home, which the 26.05 root sees too.
    dir = LocalSlurm.find().workDirectory("shutdown-order");
    copyTree(SOURCES.resolve("main/resources/io/daskmpi/runtime/python"), dir.resolve("runtime"));
    copyTree(SOURCES.resolve("test/resources/python"), dir.resolve("harness"));
  }

  @AfterEach
  void removeTheHarness() {
    Rendezvous.deleteQuietly(dir);
  }

  @ParameterizedTest(name = "Dask of {0}")
  @ValueSource(strings = {"host", "26.05"})
  void workersLeaveOneAtATimeBeforeTheScheduler(String dask) {
    List<String> python =
        List.of(
            "env",
            "PYTHONPATH=" + dir.resolve("runtime") + ":" + dir.resolve("harness"),
            dask.equals("host") ? LocalSlurm.PYTHON : "python3",
            dir.resolve("harness/shutdown_order.py").toString(),
            Integer.toString(WORKERS));
    List<String> command = new ArrayList<>();
    if (!dask.equals("host")) {
      command.addAll(
          List.of(
              "bash",
              LocalSlurm.REPOSITORY.resolve("dev/local-slurm").toString(),
              "exec",
              "--slurm",
              dask,
              "--"));
    }
    command.addAll(python);
    ProcessRun run = ProcessRun.run(command, dir, Map.of(), Duration.ofMinutes(2));

    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.output().lines().filter(line -> line.contains("removed worker")))
        .as("%s", run)
        .hasSize(WORKERS)
        .allMatch(line -> line.endsWith("; others closing: none"));
    assertThat(run.output())
        .contains("scheduler exited with 0")
        .contains(
            IntStream.range(0, WORKERS).mapToObj(n -> "worker " + n + " exited with 0").toList())
        .doesNotContain("Traceback")
        .doesNotContain(" - ERROR - ");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
