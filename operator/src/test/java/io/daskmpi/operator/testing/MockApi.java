package io.daskmpi.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fabric8's CRUD mock API server, set up as the operator needs it. */
public final class MockApi {
  private MockApi() {}

  /**
   * Creates the committed CRD in the mock: with it, the mock keeps status and spec apart as a real
   * API server does (a main-resource write cannot change status).
   */
  public static void installCrd(KubernetesClient client) throws IOException {
    Path crd = Path.of("..", "crds", "daskmpijobs.daskmpi.io-v1.yml");
    try (InputStream in = Files.newInputStream(crd)) {
      client
          .resource(
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
          .create();
    }
  }
}
