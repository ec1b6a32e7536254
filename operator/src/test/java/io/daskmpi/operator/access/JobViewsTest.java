package io.daskmpi.operator.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.config.JobAccess;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.testing.TestEndpoints;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A followed log over a real socket, with the job's reads and writes driven by the test. */
class JobViewsTest {
  @TempDir Path dir;

  private static DaskMpiJob job(Phase phase, String outputFile) {
    return job(phase, outputFile, 1);
  }

  private static DaskMpiJob job(Phase phase, String outputFile, int attempt) {
    DaskMpiJob job = new DaskMpiJob();
    job.setMetadata(new ObjectMetaBuilder().withName("sum").withNamespace("team-a").build());
    job.setSpec(new DaskMpiJobSpec());
    DaskMpiJobStatus status = new DaskMpiJobStatus();
    status.setPhase(phase);
    status.setAttempt(attempt);
    SlurmJobStatus slurm = new SlurmJobStatus();
    slurm.setOutputFile(outputFile);
    slurm.setJobId(outputFile == null ? null : (long) outputFile.hashCode() & 0xffff);
    status.setSlurm(slurm);
    job.setStatus(status);
    return job;
  }

  private OperatorConfig config() {
    return new OperatorConfig(
        Map.of(
            "default",
            TestEndpoints.fake(
                "default", new JobAccess(Map.of("/cluster", dir.toString()), false))),
        Set.of(),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5));
  }

  private String follow(Deque<Supplier<DaskMpiJob>> reads, Path out) throws IOException {
    JobViews views =
        new JobViews(
            route -> Optional.of(reads.poll().get()),
            config(),
            () -> {
              try {
                Files.writeString(
                    out, "1 client: late\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            Duration.ZERO);
    try (AccessServer server = new AccessServer(0, (t, r) -> CallerCheck.Verdict.ALLOWED, views);
        Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream()
          .write(
              ("GET /v1/namespaces/team-a/daskmpijobs/sum/log?follow=true&rank=1 HTTP/1.1\r\n"
                      + "Authorization: Bearer t\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 200 OK");
      return all.substring(all.indexOf("\r\n\r\n") + 4);
    }
  }

  /**
   * The API server fails one read while a log is followed: the follow goes on (a transient error
   * never ends it) and still ends with the job, having sent what came in between.
   */
  @Test
  void aFailedReadOfTheJobDoesNotEndAFollowedLog() throws Exception {
    Path out = Files.writeString(dir.resolve("out"), "1 client: up\n");
    Deque<Supplier<DaskMpiJob>> reads = new ArrayDeque<>();
    reads.add(() -> job(Phase.Running, "/cluster/out")); // the first look, before the answer
    reads.add(
        () -> {
          throw new KubernetesClientException("connection refused");
        });
    reads.add(() -> job(Phase.Succeeded, "/cluster/out"));

    assertThat(follow(reads, out)).isEqualTo("up\nlate\n");
    assertThat(reads).isEmpty();
  }

  /** A queued job has no output file yet: the answer starts at once and waits for the file. */
  @Test
  void aFollowedLogWaitsThroughTheQueue() throws Exception {
    Path out = dir.resolve("out");
    Deque<Supplier<DaskMpiJob>> reads = new ArrayDeque<>();
    reads.add(() -> job(Phase.Queued, null));
    reads.add(() -> job(Phase.Running, "/cluster/out"));
    reads.add(() -> job(Phase.Succeeded, "/cluster/out"));

    // One pause in the queue (the job writes its line then), none once it has ended.
    assertThat(follow(reads, out)).isEqualTo("late\n");
    assertThat(reads).isEmpty();
  }

  /**
   * A retry gives the job another output file: the follow says so and goes on in the new file,
   * through the wait for it, until the job ends.
   */
  @Test
  @Timeout(30) // a follow that missed the retry would wait for the first file forever
  void aFollowedLogGoesOnInTheOutputOfARetry() throws Exception {
    Files.writeString(dir.resolve("out-1"), "1 client: first attempt\n");
    Path second = dir.resolve("out-2");
    Deque<Supplier<DaskMpiJob>> reads = new ArrayDeque<>();
    reads.add(() -> job(Phase.Running, "/cluster/out-1", 1));
    reads.add(() -> job(Phase.Pending, null, 2)); // a retry: the first attempt is over
    reads.add(() -> job(Phase.Running, "/cluster/out-2", 2));
    reads.add(() -> job(Phase.Succeeded, "/cluster/out-2", 2));
    long secondJob = job(Phase.Running, "/cluster/out-2").getStatus().getSlurm().getJobId();

    // One pause while the retry waits for Slurm: the second attempt writes its line then.
    assertThat(follow(reads, second))
        .isEqualTo(
            "first attempt\n"
                + "dask-mpi-operator: the job was retried: the output of Slurm job "
                + secondJob
                + " follows\n"
                + "late\n");
    assertThat(reads).isEmpty();
  }

  /** Only a new attempt is a retry: the output path read differently within one is not. */
  @Test
  void anOutputPathThatChangesWithinOneAttemptIsNoRetry() throws Exception {
    Path out = Files.writeString(dir.resolve("out"), "1 client: up\n");
    Deque<Supplier<DaskMpiJob>> reads = new ArrayDeque<>();
    reads.add(() -> job(Phase.Running, "/cluster/out", 1));
    reads.add(() -> job(Phase.Running, "/cluster/out-%j", 1)); // e.g. from slurmdbd, unexpanded
    reads.add(() -> job(Phase.Succeeded, "/cluster/out-%j", 1));

    assertThat(follow(reads, out)).isEqualTo("up\nlate\n");
    assertThat(reads).isEmpty();
  }
}
