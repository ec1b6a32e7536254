package io.daskmpi.operator.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.EnvVar;
import io.daskmpi.operator.slurm.JobSubmission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files: what each example renders to. Run with {@code -Ddaskmpi.updateGolden=true} to
 * rewrite them after an intended change, then review the diff.
 */
class JobRendererTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private final JobRenderer renderer = new JobRenderer(RenderSettings.defaults());
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dask-example-singularity",
        "dask-example-local",
        "dask-example-multinode",
        "dask-example-script-launcher"
      })
  void examplesRenderToTheirGoldenFiles(String example) throws Exception {
    DaskMpiJob job = Examples.load(example + ".yaml");
    JobSubmission submission = renderer.render(Examples.identity(job), job.getSpec());

    String script = submission.script();
    var request = json.valueToTree(submission);
    ((com.fasterxml.jackson.databind.node.ObjectNode) request)
        .put("script", "(see " + example + ".sh)");
    compare(GOLDEN.resolve(example + ".sh"), script);
    compare(GOLDEN.resolve(example + ".json"), json.writeValueAsString(request) + "\n");
  }

  private static void compare(Path golden, String actual) throws Exception {
    if (Boolean.getBoolean("daskmpi.updateGolden")) {
      Files.writeString(golden, actual);
    }
    assertThat(golden).as("golden file; create it with -Ddaskmpi.updateGolden=true").exists();
    assertThat(actual).isEqualTo(Files.readString(golden));
  }

  @Test
  void theScriptLauncherNamesAScriptThatLooksLikeAnOptionAsAPath() {
    DaskMpiJob job = Examples.load("dask-example-script-launcher.yaml");
    job.getSpec().setScript("-c print(1)");
    job.getSpec().setArgs(List.of("--x"));
    String script = renderer.render(Examples.identity(job), job.getSpec()).script();
    assertThat(script)
        .contains("/shared/sif/dask-mpi_latest.sif './-c print(1)' --x\n")
        .doesNotContain(".sif -c");
  }

  @Test
  void ranksAreWorkersPlusTwoAndTheTagCarriesTheIdentity() {
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    job.getSpec().setWorkers(5);
    JobSubmission s =
        renderer.render(new JobIdentity("ns", "n", "u-1", Instant.EPOCH), job.getSpec());
    assertThat(s.tasks()).isEqualTo(7);
    assertThat(s.comment()).isEqualTo("daskmpi.io/ns/n/u-1");
    assertThat(s.timeLimitMinutes()).isEqualTo(5);
    assertThat(s.environment())
        .containsEntry("PATH", RenderSettings.DEFAULT_PATH)
        .containsEntry("DASK_MPI_PYTHON", "/usr/bin/python3");
  }

  @Test
  void noneRuntimeUsesTheConfiguredRuntimeCommand() {
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    var custom =
        new JobRenderer(
            new RenderSettings(List.of("/opt/java/bin/java", "-jar", "/x/rt.jar"), "/bin"));
    assertThat(custom.render(Examples.identity(job), job.getSpec()).script())
        .contains("srun --mpi=none /opt/java/bin/java -jar /x/rt.jar --rendezvous-dir");
  }

  @Test
  void theRuntimesFilesGoUnderTheJobDirectoryUnlessTheUserPlacedThem() {
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    assertThat(renderer.render(Examples.identity(job), job.getSpec()).script())
        .contains("trap 'rm -rf -- \"$job_dir\"' EXIT")
        .contains("--rendezvous-dir \"$job_dir/rendezvous\"");
    EnvVar own = new EnvVar();
    own.setName("DASK_MPI_RENDEZVOUS_DIR");
    own.setValue("/scratch/rv");
    job.getSpec().getEnv().add(own);
    assertThat(renderer.render(Examples.identity(job), job.getSpec()).script())
        .doesNotContain("--rendezvous-dir");
  }

  @Test
  void invalidSpecListsEveryProblemByField() {
    DaskMpiJob job = Examples.load("dask-example-singularity.yaml");
    job.getSpec().setImage(null);
    job.getSpec().setInlineScript("print(1)");
    job.getSpec().setWorkers(0);
    job.getSpec().setTimeLimit("soon");
    job.getSpec().setWorkingDirectory("relative/dir");
    assertThatThrownBy(() -> renderer.render(Examples.identity(job), job.getSpec()))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                assertThat(e.problems())
                    .extracting(SpecProblem::field)
                    .containsExactlyInAnyOrder(
                        "spec.image",
                        "spec.script",
                        "spec.workers",
                        "spec.timeLimit",
                        "spec.workingDirectory"))
        .hasMessageContaining("spec.timeLimit: 'soon' is no time limit");
  }
}
