package io.daskmpi.operator.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.ContainerRuntime;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.EnvVar;
import io.daskmpi.operator.slurm.JobSubmission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders specs full of shell metacharacters and runs the batch script with bash, with a stand-in
 * {@code srun} that records its arguments: every value must arrive literally, and nothing may run.
 */
class HostileValuesTest {
  @TempDir Path dir;

  /** Each would create the canary file if a shell ever evaluated it. */
  private List<String> hostile(Path canary) {
    String c = canary.toString();
    return List.of(
        "$(touch " + c + ")",
        "`touch " + c + "`",
        "; touch " + c,
        "| touch " + c,
        "&& touch " + c,
        "'; touch " + c + "; '",
        "\"; touch " + c + "; \"",
        "\ntouch " + c + "\n",
        "${IFS}$(touch${IFS}" + c + ")",
        "-n",
        "--",
        "*",
        "",
        "x".repeat(10_000));
  }

  @Test
  void argsScriptNameImageBindsAndWorkingDirectoryArriveLiterally() throws Exception {
    Path canary = dir.resolve("canary");
    List<String> hostile = hostile(canary);
    Path workDir =
        Files.createDirectories(dir.resolve("work dir 'with' $(touch " + canary + ") `x`"));

    DaskMpiJob job = Examples.load("dask-example-singularity.yaml");
    DaskMpiJobSpec spec = job.getSpec();
    spec.setArgs(hostile);
    spec.setScript("my script $(touch " + canary + ").py");
    spec.setImage("/images/a b;touch " + canary + ".sif");
    spec.getContainer().setBinds(List.of(workDir.toString(), "/x:/y:ro;touch " + canary));
    // Options are an allow-list now (InputPolicyTest): only a listed word reaches the script.
    spec.getContainer().setOptions(List.of("--cleanenv"));
    spec.setWorkingDirectory(workDir.toString());
    spec.setEnv(List.of(env("EVIL", "$(touch " + canary + ")")));

    JobSubmission s =
        new JobRenderer(RenderSettings.defaults()).render(Examples.identity(job), spec);
    List<String> argv = runWithStubSrun(s.script());

    List<String> expected = new ArrayList<>(List.of("--mpi=pmi2", "singularity", "run"));
    expected.addAll(List.of("-B", workDir.toString(), "-B", "/x:/y:ro;touch " + canary));
    expected.addAll(List.of("--cleanenv", spec.getImage()));
    expected.addAll(
        List.of(
            "--rendezvous-dir",
            workDir + "/.daskmpi/job-4242/rendezvous",
            "--threads-per-worker",
            "1",
            "--memory-limit",
            "auto",
            "--dashboard-address",
            ":8787",
            "--"));
    expected.add(spec.getScript());
    expected.addAll(hostile);
    assertThat(argv).containsExactlyElementsOf(expected);
    assertThat(canary).doesNotExist();
    // Environment values never pass through the script: Slurm hands them to the job as they are.
    assertThat(s.environment()).containsEntry("EVIL", "$(touch " + canary + ")");
    assertThat(s.script()).doesNotContain("EVIL");
  }

  @Test
  void inlineScriptIsShippedVerbatim() throws Exception {
    Path canary = dir.resolve("canary");
    String text =
        "print('hi')\nDASKMPI_INLINE_SCRIPT\nEOF\n$(touch "
            + canary
            + ")\n`touch "
            + canary
            + "`\n'\"\\\n\u00e9\u4e2d\n";
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    job.getSpec().setInlineScript(text);
    job.getSpec().setWorkingDirectory(dir.toString());
    job.getSpec().getContainer().setRuntime(ContainerRuntime.NONE);
    JobSubmission s =
        new JobRenderer(RenderSettings.defaults()).render(Examples.identity(job), job.getSpec());

    List<String> argv = runWithStubSrun(s.script());
    assertThat(argv.get(argv.size() - 1)).endsWith("/.daskmpi/job-4242/client.py");
    assertThat(Files.readString(dir.resolve("shipped.py"), StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(canary).doesNotExist();
    assertThat(dir.resolve(".daskmpi/job-4242")).as("removed after the run").doesNotExist();
  }

  @Test
  void missingWorkingDirectoryFailsTheJobInsteadOfRunningElsewhere() throws Exception {
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    job.getSpec().setWorkingDirectory(dir.resolve("absent").toString());
    JobSubmission s =
        new JobRenderer(RenderSettings.defaults()).render(Examples.identity(job), job.getSpec());
    Path script = Files.writeString(dir.resolve("job.sh"), s.script());
    Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(out).contains("cannot enter the working directory");
  }

  @Test
  void hostileSlurmFieldsEnvNamesAndNulsAreRejectedNamingTheField() {
    DaskMpiJob job = Examples.load("dask-example-singularity.yaml");
    DaskMpiJobSpec spec = job.getSpec();
    spec.getSlurm().setPartition("debug; touch /tmp/x");
    spec.getSlurm().setAccount("$(id)");
    spec.getSlurm().setQos("a b");
    spec.getSlurm().setReservation("r\nx");
    spec.getSlurm().setConstraints("gpu`id`");
    spec.getMpi().setPlugin("pmi2 --x");
    spec.setEnv(List.of(env("BAD NAME", "v"), env("OK", "nul\0inside")));
    spec.setArgs(List.of("a\0b"));
    var problems = SpecValidator.validate(spec);
    assertThat(problems)
        .extracting(SpecProblem::field)
        .containsExactlyInAnyOrder(
            "spec.slurm.partition",
            "spec.slurm.account",
            "spec.slurm.qos",
            "spec.slurm.reservation",
            "spec.slurm.constraints",
            "spec.mpi.plugin",
            "spec.env[0].name",
            "spec.env[1].value",
            "spec.args[0]");
  }

  private static EnvVar env(String name, String value) {
    EnvVar v = new EnvVar();
    v.setName(name);
    v.setValue(value);
    return v;
  }

  /**
   * Runs the script with bash and a fake srun that writes its arguments NUL-separated to a file and
   * copies the client script it was given (the last argument after "--") next to it.
   */
  private List<String> runWithStubSrun(String batchScript) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path argsFile = dir.resolve("srun.args");
    Path srun = bin.resolve("srun");
    Files.writeString(
        srun,
        "#!/bin/bash\nprintf '%s\\0' \"$@\" > \"$ARGS_FILE\"\n"
            + "for a in \"$@\"; do last=$a; done\n"
            + "if [ -f \"$last\" ]; then cp -- \"$last\" \"$SHIPPED\"; fi\n");
    Files.setPosixFilePermissions(srun, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path script = Files.writeString(dir.resolve("job.sh"), batchScript);
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("ARGS_FILE", argsFile.toString());
    pb.environment().put("SHIPPED", dir.resolve("shipped.py").toString());
    pb.environment().put("SLURM_JOB_ID", "4242");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String recorded = Files.readString(argsFile, StandardCharsets.UTF_8);
    return Arrays.asList(recorded.substring(0, recorded.length() - 1).split("\0", -1));
  }
}
