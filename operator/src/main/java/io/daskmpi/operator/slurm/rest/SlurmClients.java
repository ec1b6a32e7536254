package io.daskmpi.operator.slurm.rest;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.http.HttpTraffic;
import io.daskmpi.operator.slurm.http.JsonCodec;
import io.daskmpi.operator.slurm.http.SlurmHttp;
import io.daskmpi.operator.slurm.v0038.V0038Dialect;
import io.daskmpi.operator.slurm.v0040.V0040Dialect;
import java.time.Clock;
import okhttp3.OkHttpClient;

/**
 * Connects to a slurmrestd: negotiates the REST API version and returns a client that speaks it.
 */
public final class SlurmClients {
  // One connection pool and dispatcher for every endpoint; per-endpoint settings derive from it.
  private static final OkHttpClient SHARED = new OkHttpClient();
  private static final JsonCodec JSON = new JsonCodec();

  private SlurmClients() {}

  /** Reads the server's offer ({@code GET /openapi/v3}) and picks a version; one request. */
  public static SlurmClient connect(SlurmEndpoint endpoint) {
    return connect(endpoint, HttpTraffic.NONE);
  }

  /** As {@link #connect(SlurmEndpoint)}, telling {@code traffic} of every exchange. */
  public static SlurmClient connect(SlurmEndpoint endpoint, HttpTraffic traffic) {
    SlurmHttp http = new SlurmHttp(endpoint, SHARED, traffic);
    VersionNegotiation.Offer offer = VersionNegotiation.offer(http, JSON);
    ApiVersion version = VersionNegotiation.choose(offer.versions(), endpoint.apiVersion());
    return new RestSlurmClient(
        http,
        dialect(version),
        JSON,
        offer.versions(),
        offer.historyVersions().contains(version.label()),
        offer.stateQueryVersions().contains(version.label()),
        Clock.systemUTC());
  }

  /** The wire format of one version; versions with the same JSON shape share a dialect. */
  public static Dialect dialect(ApiVersion version) {
    return version == ApiVersion.V0_0_38 ? new V0038Dialect(JSON) : new V0040Dialect(version, JSON);
  }
}
