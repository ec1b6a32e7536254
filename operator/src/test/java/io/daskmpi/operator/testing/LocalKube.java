package io.daskmpi.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real CRD API server of {@code dev/local-kube}, as integration tests see it: its kubeconfig,
 * its kubectl (1.36) and a Fabric8 client.
 *
 * @param kubeconfig the admin kubeconfig ({@code KUBECONFIG} of {@code dev/local-kube env})
 * @param kubectl the kubectl built with the server ({@code DASKMPI_KUBECTL})
 */
public record LocalKube(Path kubeconfig, Path kubectl) {
  /** The result of one kubectl command. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String all() {
      return stdout + stderr;
    }
  }

  public static LocalKube of() {
    Map<String, String> env =
        ShellEnv.parse(ShellEnv.run(LocalSlurm.repo().resolve("dev/local-kube").toString(), "env"));
    LocalKube kube =
        new LocalKube(
            Path.of(require(env, "KUBECONFIG")), Path.of(require(env, "DASKMPI_KUBECTL")));
    if (!Files.isReadable(kube.kubeconfig())) {
      throw new IllegalStateException(
          "no kubeconfig at " + kube.kubeconfig() + ": bring the server up with dev/local-kube up");
    }
    return kube;
  }

  private static String require(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("dev/local-kube env printed no " + name + ": " + env);
    }
    return value;
  }

  public KubernetesClient client() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
          .build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + kubeconfig, e);
    }
  }

  /** Stops and starts the API server (etcd and its data stay), as an outage. */
  public void restartApiServer() {
    ShellEnv.run(
        Duration.ofMinutes(2),
        LocalSlurm.repo().resolve("dev/local-kube").toString(),
        "restart-apiserver");
  }

  /**
   * The bearer token of an ordinary user of the server (alice: team-a, bob: team-b; see
   * dev/lib/kube-users.sh).
   */
  public String userToken(String user) {
    Path tokens = kubeconfig.resolveSibling("pki").resolve("tokens.csv");
    try {
      return Files.readAllLines(tokens).stream()
          .map(line -> line.split(","))
          .filter(f -> f.length >= 2 && f[1].equals(user))
          .map(f -> f[0])
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no user " + user + " in " + tokens));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + tokens, e);
    }
  }

  /** A kubeconfig for this server as USER with its bearer token, written to FILE (0600). */
  public Path userKubeconfig(String user, Path file) throws IOException {
    String server =
        kubectlOk(null, "config", "view", "--raw", "-o", "jsonpath={.clusters[0].cluster.server}");
    String ca =
        kubectlOk(
            null,
            "config",
            "view",
            "--raw",
            "-o",
            "jsonpath={.clusters[0].cluster.certificate-authority-data}");
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: %s
          user: {token: "%s"}
        contexts:
        - name: %s
          context: {cluster: local, user: %s, namespace: team-a}
        current-context: %s
        """
            .formatted(server, ca, user, userToken(user), user, user, user);
    Files.writeString(file, yaml);
    Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** The environment that points a process (kubectl, the operator) at this server. */
  public Map<String, String> environment() {
    return Map.of("KUBECONFIG", kubeconfig.toString());
  }

  /** Runs kubectl against this server; stdin may be null. */
  public Result kubectl(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--request-timeout=30s"));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(environment());
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl did not end in 60 s: " + command);
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs kubectl and fails with its output unless it exits 0; returns its stdout. */
  public String kubectlOk(String stdin, String... args) {
    Result r = kubectl(stdin, args);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + ": " + r.all());
    }
    return r.stdout();
  }

  /** Applies the repository's CRDs server-side and waits until they are Established. */
  public void applyCrds() {
    kubectlOk(
        null,
        "apply",
        "--server-side",
        "--force-conflicts",
        "--field-manager=dask-mpi-crds",
        "-f",
        LocalSlurm.repo().resolve("crds").toString());
    kubectlOk(
        null, "wait", "--for=condition=Established", "--timeout=30s", "crd/daskmpijobs.daskmpi.io");
  }
}
