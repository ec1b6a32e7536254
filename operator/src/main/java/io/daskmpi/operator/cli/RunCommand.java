package io.daskmpi.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.reconcile.Deletion;
import io.daskmpi.operator.reconcile.JobDriver;
import io.daskmpi.operator.reconcile.SlurmEndpoints;
import io.daskmpi.operator.reconcile.SubmitIntents;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.JobIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run -f FILE}: drives one DaskMpiJob to its end with the operator's reconcile core and no
 * Kubernetes. Prints each phase change, then the job's output; exits with the job's exit code.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one DaskMpiJob from a YAML file on Slurm, without Kubernetes, and waits for its end.",
      "Prints each phase change and, at the end, the job's output file and its last lines.",
      "Exit code: 0 when the job succeeded, else the job's exit code (1 when it has none).",
      "Ctrl-C cancels the Slurm job. The Slurm endpoint comes from --config and/or the",
      "DASKMPI_SLURM_* variables (see `dev/local-slurm env`)."
    })
public final class RunCommand implements Callable<Integer> {
  private static final int TAIL_LINES = 10;

  /** The rank-role runtime labels the client's lines so; they hold the program's answer. */
  private static final String CLIENT_LABEL = "1 client: ";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static final ObjectMapper STRICT_YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "the DaskMpiJob YAML file")
  Path file;

  @CommandLine.Mixin ConfigOption config;

  @Option(
      names = "--poll",
      description = "seconds between looks at the job (default: ${DEFAULT-VALUE})",
      defaultValue = "1")
  double pollSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DaskMpiJob job;
    try (InputStream in = Files.newInputStream(file)) {
      // Strict, as kubectl apply is: a misspelled or moved field is an error, never dropped.
      job = STRICT_YAML.readValue(in, DaskMpiJob.class);
    } catch (UnrecognizedPropertyException e) {
      err.println(
          "run: "
              + file
              + ": unknown field "
              + e.getPath().stream()
                  .map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                  .collect(Collectors.joining(".")));
      return CommandLine.ExitCode.USAGE;
    } catch (IOException | RuntimeException e) {
      err.println("run: cannot read a DaskMpiJob from " + file + ": " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    if (job == null || job.getMetadata() == null || job.getMetadata().getName() == null) {
      err.println("run: " + file + " holds no DaskMpiJob with metadata.name");
      return CommandLine.ExitCode.USAGE;
    }
    List<String> names =
        KubernetesNames.problems(job.getMetadata().getName(), job.getMetadata().getNamespace());
    if (!names.isEmpty()) {
      names.forEach(p -> err.println("run: " + file + ": " + p));
      return CommandLine.ExitCode.USAGE;
    }
    Optional<OperatorConfig> loaded = config.load("run", err);
    if (loaded.isEmpty()) {
      return CommandLine.ExitCode.USAGE;
    }
    OperatorConfig operatorConfig = loaded.get();
    String namespace =
        job.getMetadata().getNamespace() == null ? "default" : job.getMetadata().getNamespace();
    // Every run is a new job: a fresh UID keeps it apart from earlier runs of the same file.
    JobIdentity id =
        new JobIdentity(
            namespace, job.getMetadata().getName(), "run-" + UUID.randomUUID(), Instant.now());
    Duration poll = Duration.ofMillis((long) (pollSeconds * 1000));
    var quick =
        new OperatorConfig(
            operatorConfig.endpoints(),
            operatorConfig.watchNamespaces(),
            poll,
            operatorConfig.resyncInterval());
    JobDriver driver =
        new JobDriver(
            new SlurmEndpoints(
                quick, c -> SlurmClients.connect(c.slurmEndpoint()), Clock.systemUTC()),
            Clock.systemUTC());

    AtomicReference<DaskMpiJobStatus> current = new AtomicReference<>();
    AtomicBoolean finished = new AtomicBoolean();
    Thread cancelOnInterrupt =
        new Thread(() -> cancel(driver, id, job, current.get(), finished, err));
    Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
    try {
      DaskMpiJobStatus status = null;
      Phase shown = null;
      String shownReachability = null;
      while (true) {
        status = driver.reconcile(id, 1L, job.getSpec(), status, SubmitIntents.IN_MEMORY);
        current.set(status);
        if (status.getPhase() != shown) {
          out.println(status.getPhase() + ": " + status.getMessage());
          out.flush();
          shown = status.getPhase();
        }
        String reachability = unreachableMessage(status);
        if (reachability != null && !reachability.equals(shownReachability)) {
          err.println("run: Slurm is not answering, retrying: " + reachability);
        }
        shownReachability = reachability;
        if (status.getPhase().isFinal()) {
          break;
        }
        Thread.sleep(poll.toMillis());
      }
      finished.set(true);
      report(status, out);
      return exitCode(status);
    } finally {
      finished.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it cancels the job
      }
    }
  }

  private static void cancel(
      JobDriver driver,
      JobIdentity id,
      DaskMpiJob job,
      DaskMpiJobStatus status,
      AtomicBoolean finished,
      PrintWriter err) {
    if (finished.get()) {
      return;
    }
    Deletion deletion = driver.cancel(id, job.getSpec(), status);
    if (deletion instanceof Deletion.Done done) {
      done.cancelled()
          .forEach(jobId -> err.println("run: interrupted: cancelled Slurm job " + jobId));
    } else {
      err.println(
          "run: interrupted, but cancelling failed: " + ((Deletion.Blocked) deletion).reason());
    }
    err.flush();
  }

  private static String unreachableMessage(DaskMpiJobStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals("SlurmReachable") && c.getStatus().equals("False"))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse(null);
  }

  private static void report(DaskMpiJobStatus status, PrintWriter out) {
    var slurm = status.getSlurm();
    if (slurm == null) {
      return;
    }
    out.println(
        "Slurm job "
            + slurm.getJobId()
            + ": "
            + slurm.getState()
            + (slurm.getExitCode() != null ? ", exit code " + slurm.getExitCode() : "")
            + (slurm.getSignal() != null ? ", signal " + slurm.getSignal() : ""));
    if (slurm.getOutputFile() == null) {
      return;
    }
    out.println("output: " + slurm.getOutputFile());
    Path output = Path.of(slurm.getOutputFile());
    try {
      List<String> lines = Files.readAllLines(output);
      out.println("--- last " + Math.min(TAIL_LINES, lines.size()) + " lines ---");
      lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(out::println);
      List<String> client = lines.stream().filter(l -> l.startsWith(CLIENT_LABEL)).toList();
      if (!client.isEmpty()) {
        out.println("--- the client's output (rank 1) ---");
        client.forEach(l -> out.println(l.substring(CLIENT_LABEL.length())));
      }
    } catch (IOException e) {
      out.println("(not readable from here: " + e.getMessage() + ")");
    }
    out.flush();
  }

  private static int exitCode(DaskMpiJobStatus status) {
    if (status.getPhase() == Phase.Succeeded) {
      return 0;
    }
    Integer code = status.getSlurm() == null ? null : status.getSlurm().getExitCode();
    return code != null && code != 0 ? code : 1;
  }
}
