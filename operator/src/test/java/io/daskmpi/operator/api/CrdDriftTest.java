package io.daskmpi.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CRD is exactly what the build generates from the api.v1alpha1 classes. */
class CrdDriftTest {
  static final String CRD = "daskmpijobs.daskmpi.io-v1.yml";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws Exception {
    Path generated = Path.of("target/classes/META-INF/fabric8", CRD);
    Path committed = Path.of("..", "crds", CRD);
    assertThat(generated).exists();
    assertThat(Files.readString(committed))
        .as("crds/%s is stale: copy %s over it", CRD, generated)
        .isEqualTo(Files.readString(generated));
  }
}
