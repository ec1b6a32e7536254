package io.daskmpi.operator.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.access.JobRoute.View;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.JobAccess;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.submit.RenderSettings;
import io.daskmpi.operator.testing.TestEndpoints;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobViewsTest {
  private static final JobRoute LOG = new JobRoute("team-a", "sum", View.LOG);
  @TempDir Path dir;

  private static DaskMpiJob job(Phase phase) {
    DaskMpiJob job = new DaskMpiJob();
    job.setMetadata(new ObjectMetaBuilder().withName("sum").withNamespace("team-a").build());
    job.setSpec(new DaskMpiJobSpec());
    DaskMpiJobStatus status = new DaskMpiJobStatus();
    status.setPhase(phase);
    SlurmJobStatus slurm = new SlurmJobStatus();
    slurm.setOutputFile("/cluster/out");
    status.setSlurm(slurm);
    job.setStatus(status);
    return job;
  }

  private OperatorConfig config() {
    EndpointConfig fake = TestEndpoints.fake("default");
    return new OperatorConfig(
        Map.of(
            "default",
            new EndpointConfig(
                "default",
                fake.url(),
                fake.defaultIdentity(),
                Map.of(),
                Optional.empty(),
                RenderSettings.DEFAULT_RUNTIME_COMMAND,
                Set.of(),
                List.of(),
                new JobAccess(Map.of("/cluster", dir.toString()), false))),
        Set.of(),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5));
  }

  /**
   * The API server fails one read while a log is followed: the follow goes on (a transient error
   * never ends it) and still ends with the job, having sent what came in between.
   */
  @Test
  void aFailedReadOfTheJobDoesNotEndAFollowedLog() throws Exception {
    Path out = Files.writeString(dir.resolve("out"), "1 client: up\n");
    Deque<Supplier<DaskMpiJob>> reads = new ArrayDeque<>();
    reads.add(() -> job(Phase.Running)); // the first look, before the head
    reads.add(
        () -> {
          throw new KubernetesClientException("connection refused");
        });
    reads.add(() -> job(Phase.Succeeded));
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    JobViews views =
        new JobViews(
            route -> Optional.of(reads.poll().get()),
            config(),
            () -> {
              try {
                Files.writeString(out, "1 client: late\n", StandardOpenOption.APPEND);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });

    views.log(
        LOG, new RequestHead("GET", "/", Map.of("follow", "true", "rank", "1"), Map.of()), sent);

    String text = sent.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nup\nlate\n");
    assertThat(reads).isEmpty();
  }
}
