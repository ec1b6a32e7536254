package io.daskmpi.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A finished command of an integration test: exit code, output (stdout and stderr merged) and wall
 * time. A command that outlives its limit is killed with its tree and fails the test.
 */
record ProcessRun(List<String> command, int exitCode, String output, Duration elapsed) {

  static ProcessRun run(List<String> command, Path dir, Map<String, String> env, Duration limit) {
    return start(command, dir, env).await(limit);
  }

  static Running start(List<String> command, Path dir, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(env);
    try {
      return new Running(command, builder.start(), System.nanoTime());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A command still running; its output is collected as it comes. */
  static final class Running {
    private final List<String> command;
    private final Process process;
    private final long startedAt;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Thread reader;

    Running(List<String> command, Process process, long startedAt) {
      this.command = command;
      this.process = process;
      this.startedAt = startedAt;
      this.reader = new Thread(this::read, "output");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      byte[] buffer = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          synchronized (output) {
            output.write(buffer, 0, n);
          }
        }
      } catch (IOException e) {
        // process gone
      }
    }

    String outputSoFar() {
      synchronized (output) {
        return output.toString(StandardCharsets.UTF_8);
      }
    }

    /** Waits until the output contains {@code text}; false if the limit passes first. */
    boolean awaitOutput(String text, Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        if (outputSoFar().contains(text)) {
          return true;
        }
        if (!process.isAlive()) {
          return outputSoFar().contains(text);
        }
        Thread.sleep(100);
      }
      return false;
    }

    long pid() {
      return process.pid();
    }

    ProcessRun await(Duration limit) {
      try {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          Supervisor.stopTree(process.toHandle(), Duration.ofSeconds(5));
          reader.join(2000);
          throw new AssertionError(
              "still running after " + limit + ": " + command + "\n" + outputSoFar());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedAt);
        reader.join(5000);
        return new ProcessRun(command, process.exitValue(), outputSoFar(), elapsed);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + " after " + elapsed.toMillis() + " ms: " + command + "\n" + output;
  }
}
