package io.daskmpi.operator.chart;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Renders charts/dask-mpi-operator with real Helm (helm-java) and parses the output. */
final class Chart {
  static final Path DIR = Path.of("..", "charts", "dask-mpi-operator").toAbsolutePath().normalize();
  static final String RELEASE = "dmo";
  static final String NAMESPACE = "dask-system";
  static final String FULLNAME = "dmo-dask-mpi-operator";
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Chart() {}

  /** {@code helm template dmo CHART -n dask-system -f VALUES} ({@code values} may be empty). */
  static String template(String values) {
    try {
      Path file = Files.createTempFile("values-", ".yaml");
      try {
        Files.writeString(file, values);
        return new Helm(DIR)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withValuesFile(file)
            .call();
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Rendered render(String values) {
    return new Rendered(parse(template(values)));
  }

  static List<HasMetadata> parse(String multiDoc) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : multiDoc.split("(?m)^---\\s*$")) {
      boolean empty =
          doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!empty) {
        out.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
      }
    }
    return out;
  }

  record Rendered(List<HasMetadata> objects) {
    <T extends HasMetadata> Stream<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast);
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
      return all(type).filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
      return find(type, name)
          .orElseThrow(
              () -> new AssertionError("no " + type.getSimpleName() + " " + name + " rendered"));
    }
  }
}
