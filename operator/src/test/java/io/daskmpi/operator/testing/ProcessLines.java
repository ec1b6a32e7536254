package io.daskmpi.operator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Hands each line a process prints to a consumer, as it comes, on a daemon thread. */
public final class ProcessLines {
  private ProcessLines() {}

  /** Starts the thread; it ends with the process's output (a SIGKILL closes the pipe under it). */
  public static Thread follow(Process process, Consumer<String> sink, String name) {
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(sink);
              } catch (IOException | UncheckedIOException ignored) {
                // the process ended
              }
            },
            name + "-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}
