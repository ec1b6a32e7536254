package io.daskmpi.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daskmpi.operator.api.CrdSchemaValidator.Violation;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.submit.SpecProblem;
import io.daskmpi.operator.submit.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in input policy, as a table of hostile edits of the singularity example: the CRD's CEL
 * rules (what the API server refuses at admission) and the operator's {@link SpecValidator} (what
 * {@code run -f} and older resources meet) refuse the same inputs, each naming the field, and let
 * the documented exceptions through.
 */
class InputPolicyTest {
  @BeforeAll
  static void loadCrd() throws IOException {
    ExamplesValidateTest.loadCrd();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        row("LD_PRELOAD", env("LD_PRELOAD"), "$.spec.env[0].name", "spec.env[0].name"),
        row("BASH_ENV", env("BASH_ENV"), "$.spec.env[0].name", "spec.env[0].name"),
        row("ENV", env("ENV"), "$.spec.env[0].name", "spec.env[0].name"),
        row("PATH", env("PATH"), "$.spec.env[0].name", "spec.env[0].name"),
        row("SLURM_*", env("SLURM_NTASKS"), "$.spec.env[0].name", "spec.env[0].name"),
        row("PMI_*", env("PMI_RANK"), "$.spec.env[0].name", "spec.env[0].name"),
        row("PMIX_*", env("PMIX_RANK"), "$.spec.env[0].name", "spec.env[0].name"),
        row("OMPI_*", env("OMPI_MCA_btl"), "$.spec.env[0].name", "spec.env[0].name"),
        row("PYTHONPATH", env("PYTHONPATH"), "$.spec.env[0].name", "spec.env[0].name"),
        row(
            "APPTAINERENV_*",
            env("APPTAINERENV_LD_PRELOAD"),
            "$.spec.env[0].name",
            "spec.env[0].name"),
        row("SINGULARITY_BIND", env("SINGULARITY_BIND"), "$.spec.env[0].name", "spec.env[0].name"),
        row(
            "workingDirectory ..",
            spec -> spec.put("workingDirectory", "/home/daskjob/../root"),
            "$.spec.workingDirectory",
            "spec.workingDirectory"),
        row(
            "workingDirectory ending in ..",
            spec -> spec.put("workingDirectory", "/home/daskjob/.."),
            "$.spec.workingDirectory",
            "spec.workingDirectory"),
        row(
            "script ..",
            spec -> spec.put("script", "../other/steal.py"),
            "$.spec.script",
            "spec.script"),
        row(
            "bind source ..",
            spec -> container(spec).putArray("binds").add("/data/../etc:/mnt"),
            "$.spec.container.binds",
            "spec.container.binds[0]"),
        row(
            "bind destination ..",
            spec -> container(spec).putArray("binds").add("/data:/mnt/..:ro"),
            "$.spec.container.binds",
            "spec.container.binds[0]"),
        row(
            "option --bind",
            spec -> container(spec).putArray("options").add("--bind=/etc:/mnt"),
            "$.spec.container.options",
            "spec.container.options[0]"),
        row(
            "option --env",
            spec -> container(spec).putArray("options").add("--env"),
            "$.spec.container.options",
            "spec.container.options[0]"),
        row(
            "option --fakeroot",
            spec -> container(spec).putArray("options").add("--fakeroot"),
            "$.spec.container.options",
            "spec.container.options[0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void admissionAndOperatorRefuseNamingTheField(
      String what, Consumer<ObjectNode> edit, String celPath, String field) throws IOException {
    ObjectNode job = ExamplesValidateTest.singularityExample();
    edit.accept((ObjectNode) job.get("spec"));

    assertThat(ExamplesValidateTest.validator.validate(job))
        .as("the CRD's verdict")
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.keyword()).isEqualTo("cel");
              assertThat(v.path()).isEqualTo(celPath);
            });
    assertThat(SpecValidator.validate(toJob(job).getSpec()))
        .as("the operator's verdict")
        .extracting(SpecProblem::field)
        .containsExactly(field);
  }

  static Stream<Arguments> allowed() {
    return Stream.of(
        Arguments.of("PYTHONUNBUFFERED", env("PYTHONUNBUFFERED")),
        Arguments.of("PYTHONHASHSEED", env("PYTHONHASHSEED")),
        Arguments.of("DASK_ config", env("DASK_DISTRIBUTED__WORKER__DAEMON")),
        Arguments.of("OMP_NUM_THREADS", env("OMP_NUM_THREADS")),
        Arguments.of("a name merely containing PATH", env("MY_PATH")),
        Arguments.of(
            "dots inside a name",
            (Consumer<ObjectNode>) spec -> spec.put("workingDirectory", "/home/daskjob/..x/y..")),
        Arguments.of(
            "--nv and --cleanenv",
            (Consumer<ObjectNode>)
                spec -> container(spec).putArray("options").add("--nv").add("--cleanenv")),
        Arguments.of(
            "a read-only bind",
            (Consumer<ObjectNode>)
                spec -> container(spec).putArray("binds").add("/data/set.1:/data:ro")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allowed")
  void documentedExceptionsPass(String what, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode job = ExamplesValidateTest.singularityExample();
    edit.accept((ObjectNode) job.get("spec"));
    List<Violation> violations = ExamplesValidateTest.validator.validate(job);
    assertThat(violations).as("the CRD's verdict").isEmpty();
    assertThat(SpecValidator.validate(toJob(job).getSpec())).as("the operator's verdict").isEmpty();
  }

  private static Arguments row(
      String what, Consumer<ObjectNode> edit, String celPath, String field) {
    return Arguments.of(what, edit, celPath, field);
  }

  private static Consumer<ObjectNode> env(String name) {
    return spec -> spec.putArray("env").addObject().put("name", name).put("value", "x");
  }

  private static ObjectNode container(ObjectNode spec) {
    return spec.has("container") ? (ObjectNode) spec.get("container") : spec.putObject("container");
  }

  private static DaskMpiJob toJob(ObjectNode job) {
    return Serialization.unmarshal(job.toString(), DaskMpiJob.class);
  }
}
