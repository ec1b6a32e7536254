package io.daskmpi.operator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The operator as a user runs it, in its own process: the built jar with {@code java -jar}, or the
 * real operator image (the Jib tar turned into a SIF by {@code dev/local-slurm
 * build-operator-image}) with {@code apptainer run} in the 26.05 cluster's namespace. Its output is
 * collected line by line.
 */
public final class OperatorProcess implements AutoCloseable {
  /** How the operator is packaged. */
  public enum Packaging {
    JAR,
    IMAGE
  }

  private static final Path JAR =
      LocalSlurm.repo().resolve("operator/target/dask-mpi-operator.jar");
  private static final String IMAGE = "/opt/dask-mpi/dask-mpi-operator.sif";

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private OperatorProcess(Process process) {
    this.process = process;
    this.reader = ProcessLines.follow(process, lines::add, "operator-output");
  }

  /**
   * Starts the operator against the local API server and Slurm cluster, watching one namespace.
   *
   * @param settings extra {@code DASKMPI_*} settings, e.g. the leader-election namespace
   */
  public static OperatorProcess start(
      Packaging packaging,
      LocalKube kube,
      LocalSlurm slurm,
      String namespace,
      Map<String, String> settings)
      throws IOException {
    Map<String, String> env = new HashMap<>(slurm.environment());
    env.put("DASKMPI_WATCH_NAMESPACES", namespace);
    env.put("DASKMPI_POLL_INTERVAL", "1s");
    env.put("DASKMPI_HEALTH_PORT", Integer.toString(freePort()));
    env.putAll(settings);
    ProcessBuilder pb;
    if (packaging == Packaging.JAR) {
      env.putAll(kube.environment());
      pb = new ProcessBuilder("java", "-jar", JAR.toString(), "operator");
      pb.environment().putAll(env);
    } else {
      pb = imageCommand(kube, slurm, env);
    }
    pb.redirectErrorStream(true);
    return new OperatorProcess(pb.start());
  }

  /**
   * {@code dev/local-slurm exec} runs with a clean environment in a namespace that sees only the
   * exchange folder of the host's files: the kubeconfig, the token and the settings go there.
   */
  private static ProcessBuilder imageCommand(
      LocalKube kube, LocalSlurm slurm, Map<String, String> env) throws IOException {
    Path exchange = Path.of(slurm.require("DASKMPI_LOCAL_EXCHANGE"));
    Path dir =
        Files.createTempDirectory(
            exchange,
            "operator-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path kubeconfig = Files.copy(kube.kubeconfig(), dir.resolve("kubeconfig"));
    Path token =
        Files.copy(Path.of(slurm.require("DASKMPI_SLURM_TOKEN_FILE")), dir.resolve("token"));
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("DASKMPI_SLURM_TOKEN_FILE", token.toString());
    StringBuilder envFile = new StringBuilder();
    env.forEach(
        (k, v) -> envFile.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
    Path settings = Files.writeString(dir.resolve("env"), envFile);
    return new ProcessBuilder(
        LocalSlurm.repo().resolve("dev/local-slurm").toString(),
        "exec",
        "--",
        "apptainer",
        "run",
        "--env-file",
        settings.toString(),
        IMAGE,
        "operator");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public long pid() {
    return process.pid();
  }

  /** The executables of the process and its descendants, as /proc names them. */
  public List<String> commands() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .map(h -> h.info().command().orElse("?"))
        .toList();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() {
    return String.join("\n", lines);
  }

  /** How many output lines contain TEXT. */
  public long linesContaining(String text) {
    return lines.stream().filter(l -> l.contains(text)).count();
  }

  /** Sends SIGTERM and returns how long the process took to end (at most LIMIT, else fails). */
  public Duration terminate(Duration limit) throws InterruptedException, IOException {
    long t0 = System.nanoTime();
    // kill(1), not Process.destroy(): destroy closes our end of the output pipe, and what the
    // operator says while stopping would be lost.
    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the operator did not end within " + limit + " of SIGTERM:\n" + output());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    reader.join(5_000);
    return took;
  }

  /** SIGKILL: no shutdown hook runs, as when a node dies. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(5_000);
  }

  public int exitValue() {
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
