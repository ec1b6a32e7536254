package io.daskmpi.operator.api.v1alpha1;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules every endpoint applies to user input, whatever its configuration: no {@code ..} in a
 * path, no environment variable that changes how the batch shell, Slurm, MPI, the container runtime
 * or Python start the job, and only container options that cannot widen what the job sees. One home
 * for the lists: the CRD's CEL rules are built from these constants, and {@code SpecValidator}
 * applies the same patterns for {@code run -f} and for resources admitted before the rules existed.
 */
public final class InputPolicy {
  /** A {@code ..} path segment, also between the parts of a bind ({@code SRC:DEST}). */
  public static final String PARENT_SEGMENT = "(^|[/:])[.][.]([/:]|$)";

  /**
   * Names the batch shell, srun, MPI, Apptainer/Singularity or Python read before the user's code
   * runs: LD_PRELOAD and BASH_ENV run code in the launcher, SLURM_* and SRUN_* change srun,
   * APPTAINERENV_* and APPTAINER_BIND bypass the env and bind rules, PYTHONPATH replaces the
   * runtime's Dask.
   */
  public static final String RESERVED_ENV =
      "^(LD_.*|BASH_ENV|ENV|BASHOPTS|SHELLOPTS|IFS|PS4|PROMPT_COMMAND|PATH|SLURM_.*|SBATCH_.*|SRUN_.*"
          + "|SALLOC_.*|PMI_.*|PMIX_.*|OMPI_.*|PYTHON.*|SINGULARITY.*|APPTAINER.*)$";

  /** Python settings that change output and diagnostics, not what runs (a CEL list literal). */
  private static final String ALLOWED_PYTHON_ENV_CEL =
      "['PYTHONUNBUFFERED', 'PYTHONHASHSEED', 'PYTHONWARNINGS', 'PYTHONFAULTHANDLER',"
          + " 'PYTHONDONTWRITEBYTECODE', 'PYTHONIOENCODING']";

  public static final List<String> ALLOWED_PYTHON_ENV = celStrings(ALLOWED_PYTHON_ENV_CEL);

  /** The CRD rule on each {@code spec.env[]} item. */
  public static final String ENV_RULE =
      "!self.name.matches('" + RESERVED_ENV + "') || self.name in " + ALLOWED_PYTHON_ENV_CEL;

  public static final String ENV_MESSAGE =
      "names a variable the launcher, Slurm, MPI, the container runtime or Python read before the"
          + " code of the job runs (LD_*, BASH_ENV, ENV, PATH, SLURM_*, PMI_*, PMIX_*, OMPI_*, PYTHON*"
          + " except the documented ones, SINGULARITY*, APPTAINER* ...)";

  /**
   * Options of {@code apptainer|singularity run}, as a CEL list literal, that select devices or
   * narrow what the container sees. Binds have their own field (checked against the endpoint's
   * roots); --env, --home, --pwd, --overlay, --fakeroot, --add-caps and friends would bypass a rule
   * or widen privileges.
   */
  private static final String CONTAINER_OPTIONS_CEL =
      "['--nv', '--nvccli', '--rocm', '--cleanenv', '--contain', '--containall', '--no-home',"
          + " '--no-init', '--no-privs', '--no-umask', '--writable-tmpfs', '--compat']";

  public static final List<String> CONTAINER_OPTIONS = celStrings(CONTAINER_OPTIONS_CEL);

  /** The CRD rule on {@code spec.container.options}. */
  public static final String OPTIONS_RULE = "self.all(o, o in " + CONTAINER_OPTIONS_CEL + ")";

  public static final String OPTIONS_MESSAGE =
      "spec.container.options may only hold options of "
          + CONTAINER_OPTIONS_CEL
          + " (binds go in spec.container.binds)";

  /** The CRD rule on a path field. */
  public static final String PATH_RULE = "!self.matches('" + PARENT_SEGMENT + "')";

  /** The CRD rule on {@code spec.container.binds}. */
  public static final String BINDS_RULE = "self.all(b, !b.matches('" + PARENT_SEGMENT + "'))";

  public static final String PARENT_MESSAGE = "must not contain a '..' path segment";

  private static final Pattern PARENT = Pattern.compile(PARENT_SEGMENT);
  private static final Pattern RESERVED = Pattern.compile(RESERVED_ENV);

  private InputPolicy() {}

  public static boolean hasParentSegment(String path) {
    return path != null && PARENT.matcher(path).find();
  }

  /** Why {@code name} may not be set in {@code spec.env}, if it may not. */
  public static Optional<String> envRefusal(String name) {
    if (name == null || !RESERVED.matcher(name).matches() || ALLOWED_PYTHON_ENV.contains(name)) {
      return Optional.empty();
    }
    return Optional.of("'" + name + "' " + ENV_MESSAGE);
  }

  /** The quoted words of a CEL list literal of strings without quotes or commas inside. */
  private static List<String> celStrings(String literal) {
    return Stream.of(literal.replaceAll("[\\[\\]' ]", "").split(",")).toList();
  }

  public static boolean allowedContainerOption(String option) {
    return CONTAINER_OPTIONS.contains(option);
  }
}
