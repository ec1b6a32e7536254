package io.daskmpi.operator.cli;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ClusterInfo;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check-slurm}: tells whether a slurmrestd is usable by this operator, and if not, why, in
 * one line.
 */
@Command(
    name = "check-slurm",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that a slurmrestd is usable by this operator.",
      "Prints the Slurm release, the REST API versions it offers, the one this operator would",
      "use, and whether slurmctld answers.",
      "",
      "Exit codes: 0 usable, 3 unreachable, 4 authentication failed, 5 no common REST API",
      "version, 6 slurmctld not responding, 7 other error."
    })
public final class CheckSlurmCommand implements Callable<Integer> {
  static final int UNREACHABLE = 3;
  static final int AUTH = 4;
  static final int NO_COMMON_VERSION = 5;
  static final int CONTROLLER_DOWN = 6;
  static final int OTHER = 7;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      required = true,
      defaultValue = "${env:DASKMPI_SLURM_URL}",
      description = "slurmrestd base URL (default: $DASKMPI_SLURM_URL)")
  URI url;

  @Option(
      names = "--user",
      required = true,
      defaultValue = "${env:DASKMPI_SLURM_USER}",
      description = "Slurm user the token belongs to (default: $DASKMPI_SLURM_USER)")
  String user;

  @Option(
      names = "--token-file",
      required = true,
      defaultValue = "${env:DASKMPI_SLURM_TOKEN_FILE}",
      description = "file holding the JWT (default: $DASKMPI_SLURM_TOKEN_FILE)")
  Path tokenFile;

  @Option(
      names = "--api-version",
      description = "REST API version to use instead of the newest in common, e.g. v0.0.40")
  String apiVersion;

  @Option(
      names = "--timeout",
      defaultValue = "10",
      description = "seconds to wait for each request (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<ApiVersion> requested = Optional.empty();
    if (apiVersion != null) {
      requested = ApiVersion.parse(apiVersion);
      if (requested.isEmpty()) {
        err.println("check-slurm: unknown --api-version " + apiVersion);
        return CommandLine.ExitCode.USAGE;
      }
    }
    SlurmEndpoint endpoint =
        new SlurmEndpoint(url, user, tokenFile, requested, Duration.ofSeconds(timeoutSeconds));
    try {
      SlurmClient client = SlurmClients.connect(endpoint);
      client.checkAccess();
      ClusterInfo info = client.ping();
      out.println("slurmrestd:     " + url);
      out.println("Slurm release:  " + info.slurmRelease());
      out.println("REST versions:  " + String.join(", ", info.offeredVersions()));
      out.println("usable:         " + String.join(", ", usable(info)));
      out.println("chosen version: " + info.apiVersion());
      out.println(
          "slurmctld:      " + (info.controllerResponding() ? "responding" : "NOT responding"));
      out.println(
          "job history:    "
              + (info.accounting()
                  ? "slurmdbd (/slurmdb/" + info.apiVersion().label() + "/)"
                  : "none: jobs leave the record after slurmctld's MinJobAge"));
      out.println("access:         ok as " + user);
      out.flush();
      if (!info.controllerResponding()) {
        err.println("check-slurm: slurmctld behind " + url + " does not answer pings");
        return CONTROLLER_DOWN;
      }
      return CommandLine.ExitCode.OK;
    } catch (SlurmException e) {
      err.println("check-slurm: " + headline(e) + ": " + e.getMessage());
      return exitCode(e);
    }
  }

  /** The offered versions this client speaks, newest first. */
  private static java.util.List<String> usable(ClusterInfo info) {
    return info.offeredVersions().stream().filter(v -> ApiVersion.parse(v).isPresent()).toList();
  }

  private static String headline(SlurmException e) {
    if (e instanceof SlurmException.Unavailable) {
      return "unreachable";
    } else if (e instanceof SlurmException.Auth) {
      return "authentication failed";
    } else if (e instanceof SlurmException.Unsupported) {
      return "no usable REST API version";
    }
    return "unexpected answer";
  }

  private static int exitCode(SlurmException e) {
    if (e instanceof SlurmException.Unavailable) {
      return UNREACHABLE;
    } else if (e instanceof SlurmException.Auth) {
      return AUTH;
    } else if (e instanceof SlurmException.Unsupported) {
      return NO_COMMON_VERSION;
    }
    return OTHER;
  }
}
