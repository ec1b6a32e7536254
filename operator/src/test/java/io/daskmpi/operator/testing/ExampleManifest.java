package io.daskmpi.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One of {@code examples/} as a user applies it with kubectl, moved into a test's namespace under
 * another name; its inline script may be replaced and spec lines added.
 */
public final class ExampleManifest {
  private final String yaml;

  private ExampleManifest(String yaml) {
    this.yaml = yaml;
  }

  /** {@code examples/FILE}, whose resource lives in namespace {@code default}. */
  public static ExampleManifest of(String file) {
    try {
      return new ExampleManifest(
          Files.readString(LocalSlurm.repo().resolve("examples").resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same resource as NAME in NAMESPACE. */
  public ExampleManifest as(String name, String namespace) {
    return new ExampleManifest(
        yaml.replace("namespace: default", "namespace: " + namespace)
            .replaceFirst("(?m)^  name: .*$", "  name: " + name));
  }

  /** The inline script (the spec's last field in every example) replaced; null keeps it. */
  public ExampleManifest withInlineScript(String script) {
    if (script == null) {
      return this;
    }
    int at = yaml.indexOf("  inlineScript: |");
    if (at < 0) {
      throw new IllegalStateException("the example has no inline script");
    }
    return new ExampleManifest(yaml.substring(0, at) + "  inlineScript: |\n" + script.indent(4));
  }

  /** SPEC_LINES (YAML, indented as spec fields) added before {@code timeLimit}. */
  public ExampleManifest withSpecLines(String specLines) {
    return new ExampleManifest(yaml.replace("  timeLimit:", specLines + "  timeLimit:"));
  }

  public String yaml() {
    return yaml;
  }
}
