package io.daskmpi.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed command line: {@code [options] SCRIPT [ARGS...]}. Everything after SCRIPT belongs to
 * the script, so its own options need no {@code --}.
 */
record RuntimeOptions(
    String python,
    Path rendezvousDir,
    Duration timeout,
    int threadsPerWorker,
    String memoryLimit,
    Optional<String> localDirectory,
    String dashboardAddress,
    Optional<String> networkInterface,
    int schedulerPort,
    boolean nanny,
    boolean label,
    boolean tls,
    Optional<String> jobId,
    String script,
    List<String> scriptArgs) {

  /** What the command line asks for. */
  sealed interface Invocation permits Help, Version, Run {}

  record Help() implements Invocation {}

  record Version() implements Invocation {}

  record Run(RuntimeOptions options) implements Invocation {}

  RuntimeOptions {
    scriptArgs = List.copyOf(scriptArgs);
  }

  /**
   * Parses the command line, falling back to each option's environment variable, then its default.
   */
  static Invocation parse(List<String> args, Map<String, String> env) {
    Map<Option, String> given = new EnumMap<>(Option.class);
    int i = 0;
    while (i < args.size()) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        i++;
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        break;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Help();
      }
      if (arg.equals("--version")) {
        return new Version();
      }
      i += readOption(args, i, given);
    }
    if (i >= args.size()) {
      throw usage("no SCRIPT given");
    }
    for (Option option : Option.values()) {
      if (!given.containsKey(option) && env.containsKey(option.environmentVariable())) {
        given.put(option, env.get(option.environmentVariable()));
      }
    }
    return new Run(build(given, args.get(i), args.subList(i + 1, args.size())));
  }

  /** Reads the option at {@code args[i]} into {@code given}; returns how many words it took. */
  private static int readOption(List<String> args, int i, Map<Option, String> given) {
    String arg = args.get(i);
    if (!arg.startsWith("--")) {
      throw usage("unknown option " + arg);
    }
    String name = arg.substring(2);
    String inlineValue = null;
    int equals = name.indexOf('=');
    if (equals >= 0) {
      inlineValue = name.substring(equals + 1);
      name = name.substring(0, equals);
    }
    Optional<Option> named = Option.byName(name);
    if (named.isEmpty() && name.startsWith("no-") && inlineValue == null) {
      Optional<Option> negated = Option.byName(name.substring(3)).filter(Option::isFlag);
      if (negated.isPresent()) {
        given.put(negated.get(), "false");
        return 1;
      }
    }
    if (named.isEmpty()) {
      throw usage("unknown option --" + name);
    }
    Option option = named.get();
    if (option.isFlag()) {
      given.put(option, inlineValue == null ? "true" : inlineValue);
      return 1;
    }
    if (inlineValue != null) {
      given.put(option, inlineValue);
      return 1;
    }
    if (i + 1 >= args.size()) {
      throw usage("--" + name + " needs a value (" + option.argument() + ")");
    }
    given.put(option, args.get(i + 1));
    return 2;
  }

  private static RuntimeOptions build(Map<Option, String> given, String script, List<String> args) {
    return new RuntimeOptions(
        text(given, Option.PYTHON),
        Path.of(text(given, Option.RENDEZVOUS_DIR)),
        seconds(given, Option.TIMEOUT),
        positive(given, Option.THREADS_PER_WORKER),
        text(given, Option.MEMORY_LIMIT),
        optional(given, Option.LOCAL_DIRECTORY),
        text(given, Option.DASHBOARD_ADDRESS),
        optional(given, Option.INTERFACE),
        port(given, Option.SCHEDULER_PORT),
        flag(given, Option.NANNY),
        flag(given, Option.LABEL),
        flag(given, Option.TLS),
        optional(given, Option.JOB_ID),
        script,
        args);
  }

  private static String text(Map<Option, String> given, Option option) {
    String value = given.getOrDefault(option, option.defaultValue()).trim();
    if (value.isEmpty()) {
      throw invalid(option, value, "must not be empty");
    }
    return value;
  }

  private static Optional<String> optional(Map<Option, String> given, Option option) {
    return Optional.ofNullable(given.get(option)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static boolean flag(Map<Option, String> given, Option option) {
    String value =
        given.getOrDefault(option, option.defaultValue()).trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw invalid(option, value, "must be true or false");
    };
  }

  private static int positive(Map<Option, String> given, Option option) {
    int value = integer(given, option);
    if (value < 1) {
      throw invalid(option, given.get(option), "must be 1 or more");
    }
    return value;
  }

  private static int port(Map<Option, String> given, Option option) {
    int value = integer(given, option);
    if (value < 0 || value > 65535) {
      throw invalid(option, given.get(option), "must be a port number (0 for any)");
    }
    return value;
  }

  private static int integer(Map<Option, String> given, Option option) {
    String value = text(given, option);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(option, value, "must be a whole number");
    }
  }

  /** Seconds, optionally with a unit: {@code 90}, {@code 90s}, {@code 1.5m}, {@code 2h}. */
  private static Duration seconds(Map<Option, String> given, Option option) {
    String value = text(given, option).toLowerCase(Locale.ROOT);
    double factor = 1;
    String number = value;
    if (value.endsWith("ms")) {
      factor = 0.001;
      number = value.substring(0, value.length() - 2);
    } else if (value.endsWith("s") || value.endsWith("m") || value.endsWith("h")) {
      factor =
          switch (value.charAt(value.length() - 1)) {
            case 'm' -> 60;
            case 'h' -> 3600;
            default -> 1;
          };
      number = value.substring(0, value.length() - 1);
    }
    try {
      double parsed = Double.parseDouble(number) * factor;
      if (parsed > 0 && parsed < 1e9) {
        return Duration.ofMillis(Math.round(parsed * 1000));
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw invalid(option, value, "must be a positive number of seconds (or with s, m, h)");
  }

  private static RuntimeFailure invalid(Option option, String value, String why) {
    return usage(
        "--"
            + option.optionName()
            + " (or "
            + option.environmentVariable()
            + ") '"
            + value
            + "' "
            + why);
  }

  private static RuntimeFailure usage(String message) {
    return new RuntimeFailure(RuntimeFailure.USAGE, message + " (see --help)");
  }

  /** The {@code --help} text, built from the option table so it cannot drift from the parser. */
  static String helpText() {
    StringBuilder text = new StringBuilder();
    text.append("Usage: java -jar dask-mpi-runtime.jar [OPTIONS] SCRIPT [ARGS...]\n\n")
        .append("Run under srun or mpiexec with 3 or more ranks. Rank 0 runs the Dask scheduler,\n")
        .append("rank 1 runs `python SCRIPT ARGS` as the client, ranks 2 and up run workers.\n")
        .append(
            "The launch exits with the client's exit code. No MPI library is needed: the rank\n")
        .append("comes from PMI_RANK, OMPI_COMM_WORLD_RANK, PMIX_RANK or SLURM_PROCID.\n\n")
        .append("Options (each also as an environment variable; the command line wins):\n");
    for (Option option : Option.values()) {
      String name =
          option.isFlag()
              ? "--[no-]" + option.optionName()
              : "--" + option.optionName() + " " + option.argument();
      String fallback = option.defaultValue() == null ? "" : " [" + option.defaultValue() + "]";
      text.append(
          String.format(
              "  %-28s %s%n      %s%n",
              name, option.environmentVariable(), option.help() + fallback));
    }
    text.append("  --help, --version\n\n")
        .append("Scripts written for dask-mpi run unmodified: `from dask_mpi import initialize;\n")
        .append("initialize()` connects the script to this launch's scheduler.\n");
    return text.toString();
  }
}
