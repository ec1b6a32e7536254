package io.daskmpi.operator.submit;

import java.util.List;

/**
 * What the operator's configuration adds to a spec when rendering it.
 *
 * @param runtimeCommand the command that starts the rank-role runtime where no container does it
 *     (container.runtime none), as separate words, e.g. {@code [java, -jar,
 *     /opt/dask-mpi/dask-mpi-runtime.jar]}
 * @param defaultPath PATH of the job
 * @param roots the directories the endpoint confines the job's paths to
 */
public record RenderSettings(List<String> runtimeCommand, String defaultPath, PathRoots roots) {
  public static final List<String> DEFAULT_RUNTIME_COMMAND =
      List.of("java", "-jar", "/opt/dask-mpi/dask-mpi-runtime.jar");
  public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  public RenderSettings {
    runtimeCommand = List.copyOf(runtimeCommand);
    if (runtimeCommand.isEmpty()) {
      throw new IllegalArgumentException("runtimeCommand must not be empty");
    }
  }

  public RenderSettings(List<String> runtimeCommand, String defaultPath) {
    this(runtimeCommand, defaultPath, PathRoots.NONE);
  }

  public static RenderSettings defaults() {
    return new RenderSettings(DEFAULT_RUNTIME_COMMAND, DEFAULT_PATH);
  }

  /** Splits a configured command line on white space (no shell quoting is interpreted). */
  public static List<String> words(String commandLine) {
    return List.of(commandLine.strip().split("\\s+"));
  }
}
