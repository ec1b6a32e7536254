package io.daskmpi.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The directory where the ranks of one launch meet. Rank 0's scheduler writes {@code
 * scheduler.json}; rank 1 records the client's exit code in {@code client-exit} before it shuts the
 * scheduler down; rank 0 records the scheduler's in {@code scheduler-exit}. Those two files let
 * every rank tell a shutdown the client asked for (exit 0) from a crash (exit non-zero).
 *
 * <p>Stale-file guard: the directory is named by the launch id, rank 0 deletes what an earlier
 * launch of the same id left, and every rank ignores files modified before its own start (less
 * {@link #CLOCK_SLACK} for ranks starting at slightly different times and file-server clocks). A
 * leftover scheduler file could otherwise point at a port some other job's scheduler now listens
 * on.
 */
final class Rendezvous {
  static final Duration CLOCK_SLACK = Duration.ofSeconds(30);

  /** Finished launches' directories older than this are removed by later launches. */
  static final Duration KEEP_FINISHED = Duration.ofHours(1);

  private static final Duration POLL = Duration.ofMillis(100);
  private static final String SCHEDULER_FILE = "scheduler.json";
  private static final String CLIENT_EXIT = "client-exit";
  private static final String SCHEDULER_EXIT = "scheduler-exit";

  private final Path dir;
  private final Instant notBefore;

  /** What waiting for the scheduler came to. */
  sealed interface Wait permits Ready, SchedulerEnded, TimedOut, Abandoned {}

  record Ready(SchedulerFile scheduler) implements Wait {}

  record SchedulerEnded(int exitCode) implements Wait {}

  record TimedOut(Duration after) implements Wait {}

  record Abandoned() implements Wait {}

  Rendezvous(Path dir, Instant startedAt) {
    this.dir = dir.toAbsolutePath().normalize();
    this.notBefore = startedAt.minus(CLOCK_SLACK);
  }

  static Rendezvous of(Path base, LaunchId id, Instant startedAt) {
    return new Rendezvous(base.resolve(id.value()), startedAt);
  }

  Path directory() {
    return dir;
  }

  Path schedulerFile() {
    return dir.resolve(SCHEDULER_FILE);
  }

  Path clientExitFile() {
    return dir.resolve(CLIENT_EXIT);
  }

  /**
   * Rank 0, before starting the scheduler: a clean directory and no leftovers of an earlier run.
   */
  void prepareForScheduler() throws IOException {
    Files.createDirectories(dir);
    for (String name : new String[] {SCHEDULER_FILE, CLIENT_EXIT, SCHEDULER_EXIT}) {
      Files.deleteIfExists(dir.resolve(name));
    }
    pruneFinishedSiblings(Instant.now().minus(KEEP_FINISHED));
  }

  /** The scheduler file, once this launch's scheduler has written all of it. */
  Optional<SchedulerFile> scheduler() {
    return readFresh(schedulerFile()).flatMap(SchedulerFile::parse);
  }

  OptionalInt clientExit() {
    return code(CLIENT_EXIT);
  }

  OptionalInt schedulerExit() {
    return code(SCHEDULER_EXIT);
  }

  void recordClientExit(int exitCode) {
    record(CLIENT_EXIT, exitCode);
  }

  void recordSchedulerExit(int exitCode) {
    record(SCHEDULER_EXIT, exitCode);
  }

  /**
   * Waits until this launch's scheduler file appears, rank 0 reports that the scheduler ended, the
   * timeout passes, or {@code keepWaiting} turns false (the caller's child process died).
   */
  Wait awaitScheduler(Duration timeout, BooleanSupplier keepWaiting) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<SchedulerFile> scheduler = scheduler();
      if (scheduler.isPresent()) {
        return new Ready(scheduler.get());
      }
      OptionalInt ended = schedulerExit();
      if (ended.isPresent()) {
        return new SchedulerEnded(ended.getAsInt());
      }
      if (!keepWaiting.getAsBoolean()) {
        return new Abandoned();
      }
      if (System.nanoTime() - deadline >= 0) {
        return new TimedOut(timeout);
      }
      sleep(POLL);
    }
  }

  /**
   * Deletes a file or directory tree this rank created; leftovers are harmless, so errors are not.
   */
  static void deleteQuietly(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(path)) {
      tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover is pruned by a later launch
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(RuntimeFailure.FAILED, "interrupted");
    }
  }

  private OptionalInt code(String name) {
    Optional<String> text = readFresh(dir.resolve(name));
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(text.get().strip()));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private Optional<String> readFresh(Path file) {
    try {
      if (Files.getLastModifiedTime(file).toInstant().isBefore(notBefore)) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty(); // not there (yet), or vanished between the two calls
    }
  }

  /** Written under a temporary name and renamed, so a reader never sees half a number. */
  private void record(String name, int exitCode) {
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "." + name, ".tmp");
      Files.writeString(temp, exitCode + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(
            temp,
            dir.resolve(name),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new RuntimeFailure(
          RuntimeFailure.FAILED, "cannot write " + dir.resolve(name) + ": " + e.getMessage());
    }
  }

  private void pruneFinishedSiblings(Instant finishedBefore) {
    Path base = dir.getParent();
    if (base == null) {
      return;
    }
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(base, Files::isDirectory)) {
      for (Path sibling : siblings) {
        if (!sibling.equals(dir) && finishedBefore(sibling, finishedBefore)) {
          deleteQuietly(sibling);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // pruning is housekeeping only
    }
  }

  private static boolean finishedBefore(Path launch, Instant limit) {
    for (String marker : new String[] {CLIENT_EXIT, SCHEDULER_EXIT}) {
      try {
        if (Files.getLastModifiedTime(launch.resolve(marker)).toInstant().isBefore(limit)) {
          return true;
        }
      } catch (IOException e) {
        // no such marker: not finished, or not ours
      }
    }
    return false;
  }
}
