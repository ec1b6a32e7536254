package io.daskmpi.operator.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.ContainerRuntime;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An endpoint's allowed roots: as written (a table, checked before submit) and as the filesystem
 * resolves them (the batch script run by bash, with symlinks out of and into a root).
 */
class PathRootsTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # workingDirectory    | script           | bind                 | refused field
          /home/alice/work      | run.py           | -                    | -
          /home/alice           | /home/alice/a.py | /home/alice/data:/d  | -
          /scratch/team-a/x     | /home/alice/a.py | data:/d:ro           | -
          /home/alice2/work     | /home/alice/a.py | -                    | spec.workingDirectory
          /home/bob             | /home/alice/a.py | -                    | spec.workingDirectory
          /home/alice/work      | /etc/passwd      | -                    | spec.script
          /home/alice/work      | run.py           | /etc:/etc            | spec.container.binds[0]
          /home                 | alice/run.py     | -                    | spec.workingDirectory
          """)
  void pathsAsWrittenMustLieUnderARoot(String workDir, String script, String bind, String field) {
    PathRoots roots =
        PathRoots.of(List.of("/home/{user}", "/scratch/{namespace}/"), "team-a", "alice");
    DaskMpiJobSpec spec = spec(workDir, script, bind);
    List<SpecProblem> problems = roots.check(spec);
    if (field == null) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo(field);
                assertThat(p.message()).contains("/home/alice, /scratch/team-a");
              });
    }
  }

  @Test
  void noRootsConfineNothing() {
    assertThat(PathRoots.NONE.check(spec("/etc", "/etc/x.py", "/:/host"))).isEmpty();
  }

  @Test
  void aSymlinkOutOfARootEndsTheJobBeforeSrunNamingTheField() throws Exception {
    Path root = Files.createDirectories(dir.resolve("home/alice"));
    Path outside = Files.createDirectories(dir.resolve("secret"));
    Files.writeString(outside.resolve("x.py"), "print(1)");
    Path work = Files.createDirectories(root.resolve("work"));
    Files.createSymbolicLink(work.resolve("link"), outside);

    Run run = runJob(List.of(root.toString()), spec(work.toString(), "link/x.py", null));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output())
        .contains("spec.script")
        .contains("resolves to '" + outside.toRealPath() + "/x.py'");
    assertThat(run.srunRan()).isFalse();
  }

  @Test
  void aRootThatIsItselfASymlinkIsJudgedByWhereItLeads() throws Exception {
    Path real = Files.createDirectories(dir.resolve("gpfs/home/alice"));
    Files.createDirectories(real.resolve("work"));
    Files.createDirectories(dir.resolve("home"));
    Path root = Files.createSymbolicLink(dir.resolve("home/alice"), real);
    Path work = root.resolve("work");

    // Both the root and the working directory resolve into gpfs/: still inside.
    Run allowed = runJob(List.of(root.toString()), spec(work.toString(), "run.py", null));
    assertThat(allowed.exitCode()).as(allowed.output()).isZero();
    assertThat(allowed.srunRan()).isTrue();

    // A bind through the symlinked root into a sibling user's directory is still outside.
    Path bob = Files.createDirectories(dir.resolve("gpfs/home/bob"));
    Files.createSymbolicLink(real.resolve("bob"), bob);
    Run refused =
        runJob(
            List.of(root.toString()),
            spec(work.toString(), "run.py", root.resolve("bob") + ":/data"));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.output()).contains("spec.container.binds[0]");
    assertThat(refused.srunRan()).isFalse();
  }

  private record Run(int exitCode, String output, boolean srunRan) {}

  private Run runJob(List<String> roots, DaskMpiJobSpec spec) throws Exception {
    // The paths are checked before submit only lexically; the test's symlinks pass that check.
    var settings =
        new RenderSettings(
            RenderSettings.DEFAULT_RUNTIME_COMMAND,
            RenderSettings.DEFAULT_PATH,
            new PathRoots(roots));
    String script = new JobRenderer(settings).render(Examples.identity(job()), spec).script();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path marker = dir.resolve("srun.ran");
    Files.deleteIfExists(marker);
    Path srun = bin.resolve("srun");
    Files.writeString(srun, "#!/bin/bash\ntouch \"$MARKER\"\n");
    Files.setPosixFilePermissions(srun, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = Files.writeString(dir.resolve("job.sh"), script);
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("MARKER", marker.toString());
    pb.environment().put("SLURM_JOB_ID", "4242");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, Files.exists(marker));
  }

  private static DaskMpiJob job() {
    return Examples.load("dask-example-local.yaml");
  }

  private static DaskMpiJobSpec spec(String workDir, String script, String bind) {
    DaskMpiJobSpec spec = job().getSpec();
    spec.setWorkingDirectory(workDir);
    spec.setScript(script);
    spec.setInlineScript(null);
    spec.getContainer().setRuntime(ContainerRuntime.NONE);
    spec.getContainer().setBinds(bind == null ? List.of() : List.of(bind));
    return spec;
  }
}
