package io.daskmpi.operator;

import io.daskmpi.operator.cli.CheckSlurmCommand;
import io.daskmpi.operator.cli.OperatorCommand;
import io.daskmpi.operator.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code dask-mpi-operator.jar}: wiring of the commands only. */
@Command(
    name = "dask-mpi-operator",
    mixinStandardHelpOptions = true,
    versionProvider = DaskMpiOperator.Version.class,
    description = "Runs DaskMpiJob resources as Slurm jobs through slurmrestd.",
    subcommands = {
      OperatorCommand.class,
      RunCommand.class,
      CheckSlurmCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DaskMpiOperator implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests to run commands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new DaskMpiOperator());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Reads the version Maven wrote into the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = DaskMpiOperator.class.getPackage().getImplementationVersion();
      return new String[] {"dask-mpi-operator " + (version == null ? "dev" : version)};
    }
  }
}
