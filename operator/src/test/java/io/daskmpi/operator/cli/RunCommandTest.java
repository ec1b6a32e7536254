package io.daskmpi.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.DaskMpiOperator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code run -f} reads its file as strictly as {@code kubectl apply} does. */
class RunCommandTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(Path file) {
    CommandLine cli = DaskMpiOperator.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(
        "run", "-f", file.toString(), "--config", dir.resolve("none.yaml").toString());
  }

  @Test
  void aMovedFieldIsAnErrorNamingIt() throws Exception {
    String example = Files.readString(Path.of("../examples/dask-example-local.yaml"));
    Path file =
        Files.writeString(
            dir.resolve("old.yaml"),
            example.replace("  workers: 2\n", "  workers: 2\n  resources: {nodes: 2}\n"));

    assertThat(run(file)).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("unknown field spec.resources.nodes");
  }

  @Test
  void everyExampleIsReadWithoutComplaint() throws Exception {
    for (String example : new String[] {"dask-example-local.yaml", "dask-example-multinode.yaml"}) {
      err.getBuffer().setLength(0);
      run(Path.of("../examples", example));
      // It goes on to the configuration, which this test does not have.
      assertThat(err.toString())
          .as(example)
          .contains("invalid operator configuration")
          .doesNotContain("cannot read a DaskMpiJob")
          .doesNotContain("unknown field");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "name: ../../etc/x",
        "name: 'a/b'",
        "name: '$(touch /tmp/x)'",
        "name: Upper",
        "name: -dash",
        "namespace: 'team/a'",
        "namespace: a.b"
      })
  void aNameTheApiServerWouldRefuseIsRefusedBeforeAnythingElse(String line) throws Exception {
    String example = Files.readString(Path.of("../examples/dask-example-local.yaml"));
    String field = line.substring(0, line.indexOf(':'));
    String edited =
        example.replaceFirst(
            "(?m)^  " + field + ": .*$", java.util.regex.Matcher.quoteReplacement("  " + line));
    assertThat(edited).as("the example has metadata.%s", field).isNotEqualTo(example);
    Path file = Files.writeString(dir.resolve("bad.yaml"), edited);

    assertThat(run(file)).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString())
        .contains("metadata." + field + ": ")
        .contains("is not a DNS-1123")
        .doesNotContain("invalid operator configuration");
  }
}
