package io.daskmpi.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the dev scripts' {@code env} commands print: one {@code export A=x B=y} line for eval. */
final class ShellEnv {
  private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_][A-Z0-9_]*)=((?:\\\\.|\\S)*)");

  private ShellEnv() {}

  static Map<String, String> parse(String output) {
    Map<String, String> env = new HashMap<>();
    Matcher m = ASSIGNMENT.matcher(output);
    while (m.find()) {
      // bash's printf %q escapes spaces and the like with a backslash.
      env.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
    }
    return Map.copyOf(env);
  }

  /** Runs a dev script and returns its output; fails with the output unless it exits 0. */
  static String run(String... command) {
    return run(Duration.ofSeconds(60), command);
  }

  static String run(Duration limit, String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
