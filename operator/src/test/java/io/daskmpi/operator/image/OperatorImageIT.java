package io.daskmpi.operator.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image that {@code mvn -Pimage package} writes (no container runtime runs here):
 * unpacks its layers and starts the operator from the image's own JRE and jars.
 */
class OperatorImageIT {
  private static final Path TAR = Path.of("target/dask-mpi-operator-image.tar");
  @TempDir static Path dir;
  private static Path root;
  private static JsonNode config;

  @BeforeAll
  static void unpack() throws Exception {
    assertThat(TAR).as("build the image first: mvn -Pimage package").exists();
    Path raw = Files.createDirectories(dir.resolve("raw"));
    run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", raw.toString()));
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(raw.resolve("manifest.json").toFile()).get(0);
    root = Files.createDirectories(dir.resolve("root"));
    for (JsonNode layer : manifest.get("Layers")) {
      run(List.of("tar", "-xzf", raw.resolve(layer.asText()).toString(), "-C", root.toString()));
    }
    config = json.readTree(raw.resolve(manifest.get("Config").asText()).toFile()).get("config");
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  @Test
  void imageRunsAsNonRootWithItsOwnJreAndNoShell() {
    assertThat(config.get("User").asText()).isEqualTo("65532:65532");
    assertThat(config.get("Entrypoint").get(0).asText()).isEqualTo("/opt/java/bin/java");
    assertThat(config.get("Cmd").get(0).asText()).isEqualTo("operator");
    assertThat(root.resolve("opt/java/bin/java")).isExecutable();
    assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).exists();
    assertThat(root.resolve("bin/sh")).doesNotExist();
    assertThat(root.resolve("app/jib-classpath-file")).exists();
  }

  @Test
  void operatorStartsFromTheImagesJreAndJarsWithHelp() throws Exception {
    // The classpath file names /app/...: point it into the unpacked image.
    String classpath =
        Files.readString(root.resolve("app/jib-classpath-file"))
            .strip()
            .replace("/app/", root + "/app/");
    List<String> command = new ArrayList<>();
    command.add(root.resolve("opt/java/bin/java").toString());
    command.addAll(List.of("-cp", classpath, config.get("Entrypoint").get(4).asText(), "--help"));
    String out = run(command);
    assertThat(out)
        .contains("Usage: dask-mpi-operator")
        .contains("operator")
        .contains("run")
        .contains("check-slurm");
    String version = run(List.of(root.resolve("opt/java/bin/java").toString(), "-version"));
    assertThat(version).contains("17.");
  }
}
