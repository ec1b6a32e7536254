package io.daskmpi.operator.testing;

import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.reconcile.JobDriver;
import io.daskmpi.operator.reconcile.SlurmEndpoints;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local Slurm cluster brought up by {@code dev/local-slurm}, as integration tests see it. Which
 * versions to test comes from {@code DASKMPI_IT_SLURM} (default: all three); a version that is not
 * up fails the tests that need it, with the command that brings it up.
 *
 * @param version the Slurm version, e.g. {@code 24.11}
 * @param env what {@code dev/local-slurm env} printed
 */
public record LocalSlurm(String version, Map<String, String> env) {
  /** The versions under test. */
  public static List<String> versions() {
    String configured = System.getenv().getOrDefault("DASKMPI_IT_SLURM", "22.05 24.11 26.05");
    return Arrays.stream(configured.split("[\\s,]+")).filter(s -> !s.isBlank()).toList();
  }

  public static LocalSlurm of(String version) {
    return new LocalSlurm(
        version,
        ShellEnv.parse(
            ShellEnv.run(repo().resolve("dev/local-slurm").toString(), "env", "--slurm", version)));
  }

  /**
   * Runs a command as root inside this cluster's root ({@code dev/local-slurm exec}); its output.
   */
  public String exec(Duration limit, String... command) {
    List<String> args = new java.util.ArrayList<>();
    args.addAll(
        List.of(repo().resolve("dev/local-slurm").toString(), "exec", "--slurm", version, "--"));
    args.addAll(List.of(command));
    return ShellEnv.run(limit, args.toArray(String[]::new));
  }

  public static Path repo() {
    return Path.of(System.getProperty("daskmpi.repo", "..")).toAbsolutePath().normalize();
  }

  /**
   * The operator's reconcile logic without Kubernetes, on this cluster as its job user: what the
   * reconciler runs for one resource, polled every 200 ms.
   */
  public JobDriver jobDriver() {
    EndpointConfig endpoint =
        new EndpointConfig(
            "default",
            URI.create(require("DASKMPI_SLURM_URL")),
            user(),
            tokenFile(),
            Optional.empty(),
            List.of(require("DASKMPI_RUNTIME_COMMAND").split(" ")));
    return new JobDriver(
        new SlurmEndpoints(
            TestEndpoints.config(Duration.ofMillis(200), Duration.ofMinutes(5), endpoint),
            c -> SlurmClients.connect(c.slurmEndpoint()),
            Clock.systemUTC()),
        Clock.systemUTC());
  }

  public SlurmEndpoint endpoint() {
    return new SlurmEndpoint(URI.create(require("DASKMPI_SLURM_URL")), user(), tokenFile());
  }

  public Path tokenFile() {
    return Path.of(require("DASKMPI_SLURM_TOKEN_FILE"));
  }

  /** The environment a command-line user gets from {@code eval "$(dev/local-slurm env)"}. */
  public Map<String, String> environment() {
    return env;
  }

  /** Copies the built runtime jar to where every local cluster's jobs find it. */
  public static void installRuntime() {
    ShellEnv.run(
        repo().resolve("dev/local-slurm").toString(),
        "install-runtime",
        repo().resolve("runtime/target/dask-mpi-runtime.jar").toString());
  }

  /**
   * Builds the job image (a SIF from runtime/image/dask-mpi-debian.def and the built runtime jar)
   * and the operator image (a SIF from the Jib tar of {@code -Pimage}); each is rebuilt only when
   * its inputs changed, so this takes minutes once and a second after.
   */
  public static void buildImages() {
    buildJobImage();
    String script = repo().resolve("dev/local-slurm").toString();
    ShellEnv.run(
        Duration.ofMinutes(5),
        script,
        "build-operator-image",
        repo().resolve("operator/target/dask-mpi-operator-image.tar").toString());
  }

  /** Builds the job image only (see {@link #buildImages()}). */
  public static void buildJobImage() {
    ShellEnv.run(
        Duration.ofMinutes(15), repo().resolve("dev/local-slurm").toString(), "build-image");
  }

  /**
   * Builds the SIF of a Debian-based image definition of the repository (a test image), where the
   * 26.05 cluster's jobs find it: {@code /opt/dask-mpi/} plus its {@code io.daskmpi.image.sif}
   * label. Rebuilt only when the definition or its packages changed.
   */
  public static void buildImage(String definition) {
    ShellEnv.run(
        Duration.ofMinutes(15),
        repo().resolve("dev/local-slurm").toString(),
        "build-image",
        repo().resolve(definition).toString());
  }

  /** Stops and starts one daemon of this cluster (slurmrestd, slurmctld, ...), as an outage. */
  public void restart(String daemon) {
    ShellEnv.run(
        Duration.ofMinutes(2),
        repo().resolve("dev/local-slurm").toString(),
        "restart",
        daemon,
        "--slurm",
        version);
  }

  public String user() {
    return require("DASKMPI_SLURM_USER");
  }

  /** A directory the job user may write and the tests may read, on every cluster. */
  public String workDir() {
    return require("DASKMPI_SLURM_WORKDIR");
  }

  /** A value that {@code dev/local-slurm env} must have printed. */
  public String require(String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(
          "dev/local-slurm env --slurm " + version + " printed no " + name + ": " + env);
    }
    return value;
  }
}
