package io.daskmpi.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The repository's kubectl plugin, run as {@code kubectl daskmpi} runs it: the script with the
 * local kubectl first on PATH, a kubeconfig, and the operator's access API URL.
 */
public final class KubectlPlugin {
  public static final Path SCRIPT =
      LocalSlurm.repo().resolve("operator/src/main/plugin/kubectl-daskmpi");

  private final Map<String, String> env = new HashMap<>();

  public KubectlPlugin(LocalKube kube, Path kubeconfig, String operatorUrl) {
    env.put("PATH", kube.kubectl().getParent() + ":" + System.getenv("PATH"));
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("DASKMPI_OPERATOR_URL", operatorUrl);
  }

  /** The same, with a bearer token given instead of the kubeconfig's. */
  public KubectlPlugin withToken(String token) {
    KubectlPlugin copy = new KubectlPlugin(env);
    copy.env.put("DASKMPI_TOKEN", token);
    return copy;
  }

  private KubectlPlugin(Map<String, String> env) {
    this.env.putAll(env);
  }

  /** One run to its end (at most 2 minutes). */
  public LocalKube.Result run(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("plugin", ".out");
    Path err = Files.createTempFile("plugin", ".err");
    try {
      Process p = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl daskmpi " + String.join(" ", args) + " did not end");
      }
      return new LocalKube.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A run whose output lines arrive in a queue as they are printed (logs -f, dashboard). */
  public Running start(String... args) throws IOException {
    return new Running(builder(args).redirectErrorStream(true).start());
  }

  private ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    return pb;
  }

  /** A plugin process still running, and the lines it printed so far. */
  public static final class Running implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    Running(Process process) {
      this.process = process;
      ProcessLines.follow(process, lines::add, "plugin-output");
    }

    /** Waits for the next line that contains TEXT, at most LIMIT seconds; fails otherwise. */
    public String awaitLine(String text, long limitSeconds) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
      while (System.nanoTime() < end) {
        String line =
            lines.poll(Math.min(end - System.nanoTime(), 500_000_000L), TimeUnit.NANOSECONDS);
        if (line == null) {
          if (!process.isAlive() && lines.isEmpty()) {
            throw new AssertionError(
                "the plugin ended before a line with '" + text + "': " + output());
          }
          continue;
        }
        synchronized (all) {
          all.add(line);
        }
        if (line.contains(text)) {
          return line;
        }
      }
      throw new AssertionError(
          "no line with '" + text + "' within " + limitSeconds + " s: " + output());
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(long limitSeconds) throws InterruptedException {
      if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "the plugin did not end within " + limitSeconds + " s: " + output());
      }
      return process.exitValue();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Every line printed so far. */
    public String output() {
      synchronized (all) {
        lines.drainTo(all);
        return String.join("\n", all);
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
