package io.daskmpi.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fabric8's CRUD mock API server, a fresh one for each test, holding the committed CRD: with it,
 * the mock keeps status and spec apart as a real API server does (a main-resource write cannot
 * change status). Register it with {@code @RegisterExtension}; {@link #expectationsOnly()} answers
 * only what the test expects, and holds no CRD.
 *
 * <p>What {@code @EnableKubernetesMockClient} does, except the stop: the mock's own shutdown can
 * throw {@code RejectedExecutionException} from a race inside it after every test has passed
 * (fabric8io/kubernetes-client#7747, fixed after 7.5.2, which JOSDK 5.2.3 pins).
 */
public final class MockApiServer implements BeforeEachCallback, AfterEachCallback {
  private final boolean crud;
  private KubernetesMockServer server;
  private KubernetesClient client;

  /** A CRUD server: what the client writes, it keeps; what the test expects, it answers first. */
  public MockApiServer() {
    this(true);
  }

  private MockApiServer(boolean crud) {
    this.crud = crud;
  }

  /** A server that answers only what the test expects: 404 to all else. */
  public static MockApiServer expectationsOnly() {
    return new MockApiServer(false);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    Dispatcher dispatcher =
        crud ? new KubernetesMixedDispatcher(responses) : new MockDispatcher(responses);
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
    server.init();
    client = server.createClient();
    if (crud) {
      installCrd();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    client.close();
    try {
      server.destroy();
    } catch (RejectedExecutionException upstreamShutdownRace) {
      // #7747: the server has stopped listening by then; only its event loop's last step failed.
    }
  }

  /** The client of this test's server. */
  public KubernetesClient client() {
    return client;
  }

  /** This test's server, to set expectations and read the requests. */
  public KubernetesMockServer server() {
    return server;
  }

  private void installCrd() {
    Path crd = Path.of("..", "crds", "daskmpijobs.daskmpi.io-v1.yml");
    try (InputStream in = Files.newInputStream(crd)) {
      client
          .resource(
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
          .create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
