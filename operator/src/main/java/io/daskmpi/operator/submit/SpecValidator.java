package io.daskmpi.operator.submit;

import io.daskmpi.operator.api.v1alpha1.ContainerRuntime;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.EnvVar;
import io.daskmpi.operator.api.v1alpha1.InputPolicy;
import io.daskmpi.operator.api.v1alpha1.PlacementSpec;
import io.daskmpi.operator.api.v1alpha1.RankSpread;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Checks a spec before anything is submitted. The API server enforces most of this through the CRD
 * schema, but {@code run -f} has no API server, and a schema cannot parse a time limit: so the
 * rules live here too, and every message names its field.
 */
public final class SpecValidator {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern SLURM_NAME = Pattern.compile("[A-Za-z0-9_.,-]*");
  private static final Pattern CONSTRAINTS = Pattern.compile("[A-Za-z0-9_.,&|()\\[\\]*:!-]*");
  private static final Pattern MPI_PLUGIN = Pattern.compile("[a-z0-9_]+");
  private static final Pattern CLUSTER = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final int MAX_WORKERS = 4096;

  private SpecValidator() {}

  public static List<SpecProblem> validate(DaskMpiJobSpec spec) {
    List<SpecProblem> problems = new ArrayList<>();
    if (spec == null) {
      problems.add(new SpecProblem("spec", "is required"));
      return problems;
    }
    Checker c = new Checker(problems);
    c.matches(
        "spec.cluster", spec.getCluster(), CLUSTER, "a lower-case DNS label such as 'default'");
    boolean hasScript = spec.getScript() != null && !spec.getScript().isEmpty();
    boolean hasInline = spec.getInlineScript() != null && !spec.getInlineScript().isEmpty();
    if (hasScript == hasInline) {
      c.add("spec.script", "exactly one of spec.script and spec.inlineScript must be set");
    }
    ContainerRuntime runtime =
        spec.getContainer() == null || spec.getContainer().getRuntime() == null
            ? ContainerRuntime.SINGULARITY
            : spec.getContainer().getRuntime();
    if (runtime != ContainerRuntime.NONE
        && (spec.getImage() == null || spec.getImage().isBlank())) {
      c.add("spec.image", "is required unless spec.container.runtime is none");
    }
    if (spec.getWorkingDirectory() == null || !spec.getWorkingDirectory().startsWith("/")) {
      c.add("spec.workingDirectory", "must be an absolute path");
    }
    if (spec.getWorkers() == null || spec.getWorkers() < 1 || spec.getWorkers() > MAX_WORKERS) {
      c.add(
          "spec.workers",
          "must be between 1 and " + MAX_WORKERS + " (the job runs workers + 2 ranks)");
    }
    List<EnvVar> env = spec.getEnv() == null ? List.of() : spec.getEnv();
    for (int i = 0; i < env.size(); i++) {
      EnvVar v = env.get(i);
      c.matches(
          "spec.env[" + i + "].name",
          v.getName(),
          ENV_NAME,
          "letters, digits and '_', not starting with a digit");
      String field = "spec.env[" + i + "].name";
      InputPolicy.envRefusal(v.getName()).ifPresent(reason -> c.add(field, reason));
    }
    noParentSegment(spec, c);
    List<String> options =
        spec.getContainer() == null || spec.getContainer().getOptions() == null
            ? List.of()
            : spec.getContainer().getOptions();
    for (int i = 0; i < options.size(); i++) {
      if (!InputPolicy.allowedContainerOption(options.get(i))) {
        c.add(
            "spec.container.options[" + i + "]",
            "'"
                + Checker.abbreviate(options.get(i))
                + "' is not allowed: "
                + InputPolicy.OPTIONS_MESSAGE);
      }
    }
    c.parses("spec.timeLimit", spec.getTimeLimit(), TimeLimit::minutes);
    if (spec.getResources() != null) {
      c.parses(
          "spec.resources.memoryPerCpu",
          spec.getResources().getMemoryPerCpu(),
          MemorySize::mebibytes);
      c.range("spec.resources.cpusPerRank", spec.getResources().getCpusPerRank(), 1, 1024);
    }
    if (spec.getPlacement() != null) {
      placement(spec.getPlacement(), spec.getWorkers(), c);
    }
    if (spec.getSlurm() != null) {
      c.matches(
          "spec.slurm.partition",
          spec.getSlurm().getPartition(),
          SLURM_NAME,
          "a Slurm partition name");
      c.matches(
          "spec.slurm.account", spec.getSlurm().getAccount(), SLURM_NAME, "a Slurm account name");
      c.matches("spec.slurm.qos", spec.getSlurm().getQos(), SLURM_NAME, "a Slurm QOS name");
      c.matches(
          "spec.slurm.reservation",
          spec.getSlurm().getReservation(),
          SLURM_NAME,
          "a reservation name");
      c.matches(
          "spec.slurm.constraints",
          spec.getSlurm().getConstraints(),
          CONSTRAINTS,
          "a Slurm constraint expression");
    }
    if (spec.getMpi() != null) {
      c.matches(
          "spec.mpi.plugin",
          spec.getMpi().getPlugin(),
          MPI_PLUGIN,
          "an srun --mpi plugin name such as pmi2");
    }
    if (spec.getDask() != null) {
      c.range("spec.dask.threadsPerWorker", spec.getDask().getThreadsPerWorker(), 1, 1024);
      c.range("spec.dask.dashboardPort", spec.getDask().getDashboardPort(), 0, 65535);
    }
    noNul(spec, c);
    return problems;
  }

  /** The same rules as the CRD's, for {@code run -f}. */
  private static void placement(PlacementSpec p, Integer workers, Checker c) {
    c.range("spec.placement.nodes", p.getNodes(), 1, 100_000);
    c.range("spec.placement.ranksPerNode", p.getRanksPerNode(), 1, MAX_WORKERS + 2);
    if (p.getSpread() == RankSpread.DEDICATED_HEAD && p.getNodes() == null) {
      c.add(
          "spec.placement.nodes",
          "spread dedicated-head needs at least 2 nodes (the head and one for workers), got none");
    }
    boolean inRange =
        p.getNodes() != null
            && p.getNodes() >= 1
            && (p.getRanksPerNode() == null || p.getRanksPerNode() >= 1);
    if (workers == null || workers < 1 || !inRange) {
      return; // a value out of range is already named above
    }
    long nodes = p.getNodes();
    if (p.getSpread() == RankSpread.DEDICATED_HEAD) {
      if (nodes < 2) {
        c.add(
            "spec.placement.nodes",
            "spread dedicated-head needs at least 2 nodes (the head and one for workers), got "
                + nodes);
      } else if (p.getRanksPerNode() != null
          && (p.getRanksPerNode() < 2 || p.getRanksPerNode() * (nodes - 1) < workers)) {
        c.add(
            "spec.placement.ranksPerNode",
            "with spread dedicated-head must be at least 2 and hold the "
                + workers
                + " workers on the other "
                + (nodes - 1)
                + " node(s), got "
                + p.getRanksPerNode());
      }
    } else if (p.getRanksPerNode() != null && nodes * p.getRanksPerNode() < workers + 2L) {
      c.add(
          "spec.placement.ranksPerNode",
          nodes
              + " node(s) x "
              + p.getRanksPerNode()
              + " rank(s) cannot hold the job's "
              + (workers + 2)
              + " ranks (workers + the scheduler and the client)");
    }
  }

  /** A '..' segment could leave whatever root the endpoint confines paths to. */
  private static void noParentSegment(DaskMpiJobSpec spec, Checker c) {
    c.noParent("spec.workingDirectory", spec.getWorkingDirectory());
    c.noParent("spec.script", spec.getScript());
    List<String> binds =
        spec.getContainer() == null || spec.getContainer().getBinds() == null
            ? List.of()
            : spec.getContainer().getBinds();
    for (int i = 0; i < binds.size(); i++) {
      c.noParent("spec.container.binds[" + i + "]", binds.get(i));
    }
  }

  /** bash cannot carry a NUL character in any word or file name. */
  private static void noNul(DaskMpiJobSpec spec, Checker c) {
    c.noNul("spec.image", spec.getImage());
    c.noNul("spec.script", spec.getScript());
    c.noNul("spec.workingDirectory", spec.getWorkingDirectory());
    List<String> args = spec.getArgs() == null ? List.of() : spec.getArgs();
    for (int i = 0; i < args.size(); i++) {
      c.noNul("spec.args[" + i + "]", args.get(i));
    }
    if (spec.getContainer() != null) {
      List<String> binds =
          spec.getContainer().getBinds() == null ? List.of() : spec.getContainer().getBinds();
      for (int i = 0; i < binds.size(); i++) {
        c.noNul("spec.container.binds[" + i + "]", binds.get(i));
      }
      List<String> options =
          spec.getContainer().getOptions() == null ? List.of() : spec.getContainer().getOptions();
      for (int i = 0; i < options.size(); i++) {
        c.noNul("spec.container.options[" + i + "]", options.get(i));
      }
    }
    List<EnvVar> env = spec.getEnv() == null ? List.of() : spec.getEnv();
    for (int i = 0; i < env.size(); i++) {
      c.noNul("spec.env[" + i + "].value", env.get(i).getValue());
    }
  }

  private record Checker(List<SpecProblem> problems) {
    void add(String field, String message) {
      problems.add(new SpecProblem(field, message));
    }

    void matches(String field, String value, Pattern pattern, String expected) {
      if (value != null && !pattern.matcher(value).matches()) {
        add(field, "'" + abbreviate(value) + "' is not " + expected);
      }
    }

    void range(String field, Integer value, int min, int max) {
      if (value != null && (value < min || value > max)) {
        add(field, "must be between " + min + " and " + max + ", got " + value);
      }
    }

    void parses(String field, String value, Consumer<String> parser) {
      if (value == null || value.isEmpty()) {
        return;
      }
      try {
        parser.accept(value);
      } catch (IllegalArgumentException e) {
        add(field, e.getMessage());
      }
    }

    void noParent(String field, String value) {
      if (InputPolicy.hasParentSegment(value)) {
        add(field, "'" + abbreviate(value) + "' " + InputPolicy.PARENT_MESSAGE);
      }
    }

    void noNul(String field, String value) {
      if (value != null && value.indexOf('\0') >= 0) {
        add(field, "must not contain a NUL character");
      }
    }

    private static String abbreviate(String value) {
      String oneLine = value.replace("\n", "\\n");
      return oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine;
    }
  }
}
