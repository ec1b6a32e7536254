package io.daskmpi.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single-node Slurm of {@code dev/local-slurm} (22.05, Debian's srun on the host) and the
 * commands the ITs run on it.
 *
 * <p>Where the settings come from: if the caller exported {@code SLURM_CONF} and {@code
 * DASKMPI_SLURM_VERSION} (e.g. {@code eval "$(dev/local-slurm env --slurm 22.05)"}), those and the
 * other {@code DASKMPI_SLURM_*} variables are used; otherwise the IT runs {@code dev/local-slurm
 * env --slurm 22.05} itself. Running as root with {@code DASKMPI_SLURM_USER} set, srun runs as that
 * job user, in a directory under {@code DASKMPI_SLURM_WORKDIR}, as a real job would.
 */
record LocalSlurm(Map<String, String> settings) {
  static final Path REPOSITORY =
      Path.of(System.getProperty("runtime.basedir", "runtime")).toAbsolutePath().getParent();
  static final Path JAR =
      Path.of(System.getProperty("runtime.jar", "runtime/target/dask-mpi-runtime.jar"));

  /** The interpreter with Debian's dask; pyenv's python3 on PATH has none. */
  static final String PYTHON = "/usr/bin/python3";

  /** The JVM flags the image's runscript uses (measured: see docs/runtime.md). */
  static final List<String> JAVA_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  static LocalSlurm find() {
    Map<String, String> settings = new HashMap<>();
    if (System.getenv("SLURM_CONF") != null && System.getenv("DASKMPI_SLURM_VERSION") != null) {
      System.getenv()
          .forEach(
              (k, v) -> {
                if (k.startsWith("DASKMPI_SLURM_") || k.equals("SLURM_CONF")) {
                  settings.put(k, v);
                }
              });
    } else {
      ProcessRun env =
          ProcessRun.run(
              List.of(
                  "bash",
                  REPOSITORY.resolve("dev/local-slurm").toString(),
                  "env",
                  "--slurm",
                  "22.05"),
              REPOSITORY,
              Map.of(),
              Duration.ofSeconds(60));
      if (env.exitCode() != 0) {
        throw new AssertionError("dev/local-slurm env failed: " + env);
      }
      settings.putAll(parseExports(env.output()));
    }
    LocalSlurm slurm = new LocalSlurm(Map.copyOf(settings));
    ProcessRun sinfo =
        ProcessRun.run(
            slurm.asJobUser(List.of("sinfo", "-h")),
            Path.of("/"),
            Map.of(),
            Duration.ofSeconds(30));
    if (sinfo.exitCode() != 0) {
      throw new AssertionError(
          "the local Slurm is not up (start it: dev/local-slurm up): " + sinfo);
    }
    return slurm;
  }

  /** {@code export A=1 B=2 ...} as printed by {@code dev/local-slurm env}. */
  static Map<String, String> parseExports(String text) {
    Map<String, String> values = new HashMap<>();
    for (String line : text.lines().toList()) {
      if (!line.startsWith("export ")) {
        continue;
      }
      for (String word : line.substring("export ".length()).trim().split("\\s+")) {
        int equals = word.indexOf('=');
        if (equals > 0) {
          values.put(
              word.substring(0, equals),
              word.substring(equals + 1).replace("'", "").replace("\"", ""));
        }
      }
    }
    return values;
  }

  Optional<String> jobUser() {
    boolean root = "root".equals(System.getProperty("user.name"));
    return root ? Optional.ofNullable(settings.get("DASKMPI_SLURM_USER")) : Optional.empty();
  }

  /**
   * A clean environment (no Slurm or MPI variables of whoever runs the build), as the job user when
   * there is one.
   */
  List<String> asJobUser(List<String> command) {
    List<String> full = new ArrayList<>();
    jobUser().ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
    full.addAll(
        cleanEnvironment(
            settings.getOrDefault("DASKMPI_SLURM_WORKDIR", "/tmp"),
            List.of("SLURM_CONF=" + settings.get("SLURM_CONF")),
            command));
    return full;
  }

  /** {@code env -i ...}: nothing of the build's environment (a surrounding job's SLURM_*, say). */
  static List<String> cleanEnvironment(String home, List<String> variables, List<String> command) {
    List<String> full = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin", "LANG=C.UTF-8"));
    full.add("HOME=" + home);
    full.add("DASK_MPI_PYTHON=" + PYTHON);
    full.addAll(variables);
    full.addAll(command);
    return full;
  }

  /** {@code srun [srunOptions] java -jar dask-mpi-runtime.jar script args}. */
  List<String> srun(List<String> srunOptions, String script, String... args) {
    List<String> command = new ArrayList<>(List.of("srun"));
    command.addAll(srunOptions);
    command.addAll(ranks(script, args));
    return asJobUser(command);
  }

  /** What each rank runs: {@code java [flags] -jar dask-mpi-runtime.jar SCRIPT ARGS}. */
  static List<String> ranks(String script, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JAVA_FLAGS);
    command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(), script));
    command.addAll(List.of(args));
    return command;
  }

  /** A fresh directory the job user owns, with the test scripts in it. */
  Path workDirectory(String name) {
    try {
      Path dir =
          scriptDirectory(Path.of(settings.getOrDefault("DASKMPI_SLURM_WORKDIR", "/tmp")), name);
      if (jobUser().isPresent()) {
        UserPrincipal owner =
            dir.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(jobUser().get());
        try (var files = Files.walk(dir)) {
          for (Path p : files.toList()) {
            Files.setOwner(p, owner);
          }
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh directory under {@code base} with the test scripts in it, open to every user. */
  static Path scriptDirectory(Path base, String name) throws IOException {
    Path dir = Files.createTempDirectory(base, "runtime-it-" + name + "-");
    for (String script :
        List.of("sum.py", "fail.py", "raise.py", "slow.py", "pair.py", "closing.py")) {
      try (var in = LocalSlurm.class.getResourceAsStream("/scripts/" + script)) {
        Files.copy(in, dir.resolve(script));
      }
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  /**
   * Processes (of any user) whose working directory is {@code dir}: the ranks and their children.
   */
  static List<ProcessHandle> processesIn(Path dir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> isIn(p, dir))
        .toList();
  }

  private static boolean isIn(ProcessHandle process, Path dir) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"))
          .equals(dir);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
