package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendezvousTest {
  @TempDir Path base;

  private final Instant start = Instant.now();

  private Rendezvous rendezvous(String id) {
    return Rendezvous.of(base, new LaunchId(id, true), start);
  }

  private static void writeAged(Path file, String text, Duration age) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
  }

  @Test
  void eachLaunchMeetsInItsOwnDirectory() {
    assertThat(rendezvous("slurm-lab-1.0").schedulerFile())
        .isEqualTo(base.resolve("slurm-lab-1.0/scheduler.json"));
    assertThat(rendezvous("slurm-lab-2.0").schedulerFile())
        .isNotEqualTo(rendezvous("slurm-lab-1.0").schedulerFile());
  }

  @Test
  void aFreshSchedulerFileIsRead() throws IOException {
    Rendezvous rendezvous = rendezvous("a");
    Files.createDirectories(rendezvous.directory());
    Files.writeString(rendezvous.schedulerFile(), SchedulerFileTest.WRITTEN);

    assertThat(rendezvous.scheduler())
        .map(SchedulerFile::address)
        .contains("tcp://127.0.0.1:34739");
  }

  @Test
  void aSchedulerFileFromBeforeThisLaunchIsIgnored() throws IOException {
    Rendezvous rendezvous = rendezvous("a");
    writeAged(rendezvous.schedulerFile(), SchedulerFileTest.WRITTEN, Duration.ofMinutes(5));

    assertThat(rendezvous.scheduler()).isEmpty();
    assertThat(rendezvous.awaitScheduler(Duration.ofMillis(300), () -> true))
        .isInstanceOf(Rendezvous.TimedOut.class);
  }

  @Test
  void startsWithinTheClockSlackStillMeet() throws IOException {
    Rendezvous rendezvous = rendezvous("a");
    writeAged(rendezvous.schedulerFile(), SchedulerFileTest.WRITTEN, Duration.ofSeconds(10));

    assertThat(rendezvous.scheduler()).isPresent();
  }

  @Test
  void rankZeroClearsLeftoversOfAnEarlierRunWithTheSameId() throws IOException {
    Rendezvous rendezvous = rendezvous("a");
    Files.createDirectories(rendezvous.directory());
    Files.writeString(rendezvous.schedulerFile(), SchedulerFileTest.WRITTEN);
    rendezvous.recordClientExit(3);
    rendezvous.recordSchedulerExit(0);

    rendezvous.prepareForScheduler();

    assertThat(rendezvous.scheduler()).isEmpty();
    assertThat(rendezvous.clientExit()).isEmpty();
    assertThat(rendezvous.schedulerExit()).isEmpty();
  }

  @Test
  void finishedLaunchesAreTidiedUpLaterButRunningOnesAreNot() throws IOException {
    writeAged(base.resolve("old-finished/client-exit"), "0\n", Duration.ofHours(2));
    writeAged(base.resolve("old-running/scheduler.json"), "{}", Duration.ofHours(2));
    writeAged(base.resolve("recent-finished/client-exit"), "0\n", Duration.ofMinutes(5));

    rendezvous("new").prepareForScheduler();

    assertThat(base.resolve("old-finished")).doesNotExist();
    assertThat(base.resolve("old-running")).exists();
    assertThat(base.resolve("recent-finished")).exists();
    assertThat(base.resolve("new")).isDirectory();
  }

  @Test
  void exitMarkersRoundTrip() {
    Rendezvous rendezvous = rendezvous("a");
    assertThat(rendezvous.clientExit()).isEmpty();

    rendezvous.recordClientExit(7);
    rendezvous.recordSchedulerExit(0);

    assertThat(rendezvous.clientExit()).hasValue(7);
    assertThat(rendezvous.schedulerExit()).hasValue(0);
    assertThat(rendezvous.clientExitFile()).hasContent("7");
  }

  @Test
  void waitingEndsWhenTheSchedulerFileAppears() throws Exception {
    Rendezvous rendezvous = rendezvous("a");
    CompletableFuture<Rendezvous.Wait> wait =
        CompletableFuture.supplyAsync(
            () -> rendezvous.awaitScheduler(Duration.ofSeconds(10), () -> true));
    Thread.sleep(300);
    Files.createDirectories(rendezvous.directory());
    Path temp = rendezvous.directory().resolve("partial");
    Files.writeString(temp, SchedulerFileTest.WRITTEN);
    Files.move(temp, rendezvous.schedulerFile());

    assertThat(wait.get(5, TimeUnit.SECONDS)).isInstanceOf(Rendezvous.Ready.class);
  }

  @Test
  void waitingEndsWhenRankZeroReportsTheSchedulerGone() {
    Rendezvous rendezvous = rendezvous("a");
    rendezvous.recordSchedulerExit(1);

    assertThat(rendezvous.awaitScheduler(Duration.ofSeconds(10), () -> true))
        .isEqualTo(new Rendezvous.SchedulerEnded(1));
  }

  @Test
  void waitingEndsWhenTheChildDies() {
    assertThat(rendezvous("a").awaitScheduler(Duration.ofSeconds(10), () -> false))
        .isInstanceOf(Rendezvous.Abandoned.class);
  }

  @Test
  void waitingIsBounded() {
    long begin = System.nanoTime();

    Rendezvous.Wait wait = rendezvous("a").awaitScheduler(Duration.ofMillis(400), () -> true);

    assertThat(wait).isEqualTo(new Rendezvous.TimedOut(Duration.ofMillis(400)));
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(2));
  }
}
