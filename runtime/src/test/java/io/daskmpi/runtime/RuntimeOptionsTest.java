package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuntimeOptionsTest {

  private static RuntimeOptions parse(Map<String, String> env, String... args) {
    RuntimeOptions.Invocation invocation = RuntimeOptions.parse(List.of(args), env);
    assertThat(invocation).isInstanceOf(RuntimeOptions.Run.class);
    return ((RuntimeOptions.Run) invocation).options();
  }

  private static RuntimeOptions parse(String... args) {
    return parse(Map.of(), args);
  }

  @Test
  void defaults() {
    RuntimeOptions options = parse("job.py");

    assertThat(options.python()).isEqualTo("python3");
    assertThat(options.rendezvousDir()).isEqualTo(Path.of(".dask-mpi"));
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.threadsPerWorker()).isOne();
    assertThat(options.memoryLimit()).isEqualTo("auto");
    assertThat(options.localDirectory()).isEmpty();
    assertThat(options.dashboardAddress()).isEqualTo(":8787");
    assertThat(options.networkInterface()).isEmpty();
    assertThat(options.schedulerPort()).isZero();
    assertThat(options.nanny()).isFalse();
    assertThat(options.label()).isTrue();
    assertThat(options.tls()).as("a private cluster unless --no-tls").isTrue();
    assertThat(options.jobId()).isEmpty();
    assertThat(options.script()).isEqualTo("job.py");
    assertThat(options.scriptArgs()).isEmpty();
  }

  @Test
  void everyOptionOnTheCommandLine() {
    RuntimeOptions options =
        parse(
            "--python",
            "/opt/conda/bin/python",
            "--rendezvous-dir=/shared/rv",
            "--timeout",
            "2m",
            "--threads-per-worker",
            "4",
            "--memory-limit",
            "4GB",
            "--local-directory",
            "/scratch",
            "--dashboard-address",
            ":0",
            "--interface",
            "ib0",
            "--scheduler-port",
            "8786",
            "--nanny",
            "--no-label",
            "--no-tls",
            "--job-id",
            "run-1",
            "job.py");

    assertThat(options)
        .isEqualTo(
            new RuntimeOptions(
                "/opt/conda/bin/python",
                Path.of("/shared/rv"),
                Duration.ofMinutes(2),
                4,
                "4GB",
                Optional.of("/scratch"),
                ":0",
                Optional.of("ib0"),
                8786,
                true,
                false,
                false,
                Optional.of("run-1"),
                "job.py",
                List.of()));
  }

  @Test
  void everythingAfterTheScriptBelongsToTheScript() {
    RuntimeOptions options = parse("--timeout", "5", "job.py", "--timeout", "9", "-v", "x");

    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.script()).isEqualTo("job.py");
    assertThat(options.scriptArgs()).containsExactly("--timeout", "9", "-v", "x");
  }

  @Test
  void doubleDashEndsTheOptions() {
    RuntimeOptions options = parse("--", "--odd-name.py", "a");

    assertThat(options.script()).isEqualTo("--odd-name.py");
    assertThat(options.scriptArgs()).containsExactly("a");
  }

  @Test
  void environmentVariablesSetOptionsOnceForAJob() {
    Map<String, String> env =
        Map.of(
            "DASK_MPI_PYTHON", "/usr/bin/python3",
            "DASK_MPI_TIMEOUT", "90s",
            "DASK_MPI_THREADS_PER_WORKER", "2",
            "DASK_MPI_NANNY", "true",
            "DASK_MPI_LABEL", "no",
            "DASK_MPI_RENDEZVOUS_DIR", "/shared",
            "DASK_MPI_JOB_ID", "abc");

    RuntimeOptions options = parse(env, "job.py");

    assertThat(options.python()).isEqualTo("/usr/bin/python3");
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(options.threadsPerWorker()).isEqualTo(2);
    assertThat(options.nanny()).isTrue();
    assertThat(options.label()).isFalse();
    assertThat(options.rendezvousDir()).isEqualTo(Path.of("/shared"));
    assertThat(options.jobId()).contains("abc");
  }

  @Test
  void theCommandLineWinsOverTheEnvironment() {
    Map<String, String> env = Map.of("DASK_MPI_PYTHON", "/env/python", "DASK_MPI_NANNY", "true");

    RuntimeOptions options = parse(env, "--python", "/cli/python", "--no-nanny", "job.py");

    assertThat(options.python()).isEqualTo("/cli/python");
    assertThat(options.nanny()).isFalse();
  }

  @Test
  void timeoutUnits() {
    assertThat(parse("--timeout", "1.5", "j.py").timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(parse("--timeout", "500ms", "j.py").timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(parse("--timeout", "1h", "j.py").timeout()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void helpAndVersion() {
    assertThat(RuntimeOptions.parse(List.of("--help"), Map.of()))
        .isInstanceOf(RuntimeOptions.Help.class);
    assertThat(RuntimeOptions.parse(List.of("--timeout", "3", "-h", "x.py"), Map.of()))
        .isInstanceOf(RuntimeOptions.Help.class);
    assertThat(RuntimeOptions.parse(List.of("--version"), Map.of()))
        .isInstanceOf(RuntimeOptions.Version.class);
  }

  @Test
  void helpListsEveryOptionWithItsVariable() {
    String help = RuntimeOptions.helpText();

    for (Option option : Option.values()) {
      assertThat(help).contains(option.optionName()).contains(option.environmentVariable());
    }
    assertThat(help).contains("SCRIPT [ARGS...]").contains("dask_mpi");
  }

  @Test
  void mistakesAreUsageErrors() {
    assertThatThrownBy(() -> parse()).hasMessageContaining("no SCRIPT given");
    assertThatThrownBy(() -> parse("--bogus", "j.py"))
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> parse("-x", "j.py")).hasMessageContaining("unknown option -x");
    assertThatThrownBy(() -> parse("--python"))
        .hasMessageContaining("--python needs a value (PATH)");
    assertThatThrownBy(() -> parse("--threads-per-worker", "0", "j.py"))
        .hasMessageContaining("must be 1 or more");
    assertThatThrownBy(() -> parse("--scheduler-port", "70000", "j.py"))
        .hasMessageContaining("must be a port number");
    assertThatThrownBy(() -> parse("--timeout", "soon", "j.py"))
        .hasMessageContaining("--timeout (or DASK_MPI_TIMEOUT) 'soon'");
    assertThatThrownBy(() -> parse(Map.of("DASK_MPI_NANNY", "maybe"), "j.py"))
        .hasMessageContaining("must be true or false");
    assertThatThrownBy(() -> parse("--no-python", "j.py"))
        .hasMessageContaining("unknown option --no-python");
    assertThatThrownBy(() -> parse("--timeout", "-1", "j.py"))
        .isInstanceOf(RuntimeFailure.class)
        .satisfies(e -> assertThat(((RuntimeFailure) e).exitCode()).isEqualTo(2));
  }
}
