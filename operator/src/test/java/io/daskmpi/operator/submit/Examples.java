package io.daskmpi.operator.submit;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The YAML files in {@code examples/}, as the operator reads them. */
public final class Examples {
  private Examples() {}

  public static Path dir() {
    return Path.of("..", "examples");
  }

  public static DaskMpiJob load(String file) {
    try (InputStream in = Files.newInputStream(dir().resolve(file))) {
      return Serialization.unmarshal(in, DaskMpiJob.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JobIdentity identity(DaskMpiJob job) {
    return new JobIdentity(
        job.getMetadata().getNamespace(),
        job.getMetadata().getName(),
        "uid-1234",
        Instant.parse("2026-12-01T00:00:00Z"));
  }
}
