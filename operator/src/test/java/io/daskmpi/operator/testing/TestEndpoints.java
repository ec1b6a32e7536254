package io.daskmpi.operator.testing;

import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.JobAccess;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.submit.RenderSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Endpoint configurations for tests whose Slurm is a {@link FakeSlurm} or a WireMock. */
public final class TestEndpoints {
  public static final String USER = "daskjob";

  private TestEndpoints() {}

  /** Every namespace runs as {@link #USER}; the token file is never read by a fake. */
  public static EndpointConfig at(String name, URI url, Path tokenFile) {
    return new EndpointConfig(
        name, url, USER, tokenFile, Optional.empty(), RenderSettings.DEFAULT_RUNTIME_COMMAND);
  }

  public static EndpointConfig fake(String name) {
    return at(name, URI.create("http://fake"), Path.of("/dev/null"));
  }

  /** {@link #fake} that lets the access API reach what {@code access} allows. */
  public static EndpointConfig fake(String name, JobAccess access) {
    EndpointConfig f = fake(name);
    return new EndpointConfig(
        name,
        f.url(),
        f.defaultIdentity(),
        f.namespaceIdentities(),
        f.apiVersion(),
        f.runtimeCommand(),
        f.allowedNamespaces(),
        f.allowedRoots(),
        access);
  }

  /** All namespaces watched. */
  public static OperatorConfig config(
      Duration pollInterval, Duration resyncInterval, EndpointConfig... endpoints) {
    return new OperatorConfig(
        Arrays.stream(endpoints).collect(Collectors.toMap(EndpointConfig::name, e -> e)),
        Set.of(),
        pollInterval,
        resyncInterval);
  }
}
