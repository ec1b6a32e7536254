package io.daskmpi.operator.cli;

import io.daskmpi.operator.config.ConfigException;
import io.daskmpi.operator.config.ConfigLoader;
import io.daskmpi.operator.config.OperatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the commands that need Slurm endpoints. */
final class ConfigOption {
  @Option(
      names = "--config",
      description = "operator configuration file (YAML; default: $DASKMPI_CONFIG)",
      defaultValue = "${env:DASKMPI_CONFIG}")
  Path file;

  /** The configuration from the file and the environment, or empty after printing why not. */
  Optional<OperatorConfig> load(String command, PrintWriter err) {
    try {
      return Optional.of(ConfigLoader.load(file, System.getenv()));
    } catch (ConfigException e) {
      err.println(command + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
