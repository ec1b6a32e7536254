package io.daskmpi.operator.slurm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.http.HttpReply;
import io.daskmpi.operator.slurm.http.JsonCodec;
import io.daskmpi.operator.slurm.http.SlurmErrors;
import io.daskmpi.operator.slurm.http.SlurmHttp;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds which REST API versions a slurmrestd offers and picks the one to speak.
 *
 * <p>The offer is read from the {@code paths} of {@code GET /openapi/v3}, which every release
 * serves with absolute {@code /slurm/v0.0.NN/} paths; {@code info.version} is not used because its
 * format changed three times. A server that does not serve the document is probed with pings.
 */
public final class VersionNegotiation {
  private static final Pattern SLURM_PATH = Pattern.compile("^/slurm(db)?/(v\\d+\\.\\d+\\.\\d+)/");

  private VersionNegotiation() {}

  /**
   * What a slurmrestd serves.
   *
   * @param versions the slurmctld API versions ({@code /slurm/vX/}), newest first
   * @param historyVersions the versions in which it serves slurmdbd's records ({@code
   *     /slurmdb/vX/}); empty when the cluster has no accounting or slurmrestd does not load it
   * @param stateQueryVersions the versions in which it serves {@code /slurm/vX/jobs/state/}
   *     (v0.0.40 on Slurm 23.11.5 and later, every later version)
   */
  public record Offer(
      List<String> versions, Set<String> historyVersions, Set<String> stateQueryVersions) {
    public Offer {
      versions = List.copyOf(versions);
      historyVersions = Set.copyOf(historyVersions);
      stateQueryVersions = Set.copyOf(stateQueryVersions);
    }
  }

  /** Reads the server's offer from {@code GET /openapi/v3} (pings when it serves none). */
  public static Offer offer(SlurmHttp http, JsonCodec json) {
    HttpReply reply = http.get("/openapi/v3", Map.of());
    if (reply.status() == 404) {
      return new Offer(probe(http), Set.of(), Set.of());
    }
    if (!reply.isSuccess()) {
      throw SlurmErrors.classify("read /openapi/v3", reply, json.readEnvelope(reply));
    }
    JsonNode paths = json.readTree(reply).path("paths");
    TreeSet<String> versions = new TreeSet<>(newestFirst());
    Set<String> history = new HashSet<>();
    Set<String> stateQuery = new HashSet<>();
    for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
      String path = it.next();
      Matcher m = SLURM_PATH.matcher(path);
      if (m.find()) {
        (m.group(1) == null ? versions : history).add(m.group(2));
        if (m.group(1) == null && path.endsWith("/jobs/state/")) {
          stateQuery.add(m.group(2));
        }
      }
    }
    return new Offer(List.copyOf(versions), history, stateQuery);
  }

  private static List<String> probe(SlurmHttp http) {
    return Arrays.stream(ApiVersion.values())
        .map(ApiVersion::label)
        .filter(label -> http.get("/slurm/" + label + "/ping/", Map.of()).status() != 404)
        .sorted(newestFirst())
        .toList();
  }

  /**
   * The newest version both sides speak, or the requested one if the server offers it.
   *
   * @throws SlurmException.Unsupported when there is no such version
   */
  public static ApiVersion choose(List<String> offered, Optional<ApiVersion> requested) {
    if (requested.isPresent()) {
      ApiVersion wanted = requested.get();
      if (offered.contains(wanted.label())) {
        return wanted;
      }
      throw new SlurmException.Unsupported(
          "slurmrestd does not offer the configured REST API version "
              + wanted.label()
              + " (it offers: "
              + describe(offered)
              + ")");
    }
    return offered.stream()
        .map(ApiVersion::parse)
        .flatMap(Optional::stream)
        .max(ApiVersion.byAge())
        .orElseThrow(
            () ->
                new SlurmException.Unsupported(
                    "no REST API version in common: slurmrestd offers "
                        + describe(offered)
                        + "; this client speaks "
                        + Arrays.stream(ApiVersion.values())
                            .map(ApiVersion::label)
                            .collect(Collectors.joining(", "))));
  }

  private static String describe(List<String> offered) {
    return offered.isEmpty() ? "none" : String.join(", ", offered);
  }

  private static Comparator<String> newestFirst() {
    return Comparator.comparing(VersionNegotiation::numericKey).reversed();
  }

  private static long numericKey(String label) {
    long key = 0;
    for (String part : label.substring(1).split("\\.")) {
      key = key * 1000 + Integer.parseInt(part);
    }
    return key;
  }
}
