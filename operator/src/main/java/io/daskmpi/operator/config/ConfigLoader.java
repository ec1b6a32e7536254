package io.daskmpi.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the configuration from an optional YAML file and the environment, and validates it at
 * start-up so that a bad setting stops the operator with a message naming the key.
 *
 * <pre>
 * endpoints:
 *   default:                       # each endpoint as {@link EndpointLoader} reads it
 *     url: http://slurmrestd:6820
 *     user: daskjob
 *     tokenFile: /var/run/secrets/slurm/default/token
 * watchNamespaces: [research]      # optional: all namespaces when absent
 * pollInterval: 10s
 * resyncInterval: 5m
 * </pre>
 *
 * The environment defines (or overrides) the endpoint named {@code default}: {@code
 * DASKMPI_SLURM_URL}, {@code DASKMPI_SLURM_USER}, {@code DASKMPI_SLURM_TOKEN_FILE}, {@code
 * DASKMPI_SLURM_API_VERSION}, {@code DASKMPI_RUNTIME_COMMAND}; and {@code DASKMPI_WATCH_NAMESPACES}
 * (comma-separated), {@code DASKMPI_POLL_INTERVAL}, {@code DASKMPI_RESYNC_INTERVAL}.
 */
public final class ConfigLoader {
  public static final String DEFAULT_ENDPOINT = "default";
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private ConfigLoader() {}

  @JsonIgnoreProperties(ignoreUnknown = false)
  record FileConfig(
      Map<String, EndpointLoader.FileEndpoint> endpoints,
      List<String> watchNamespaces,
      String pollInterval,
      String resyncInterval) {}

  /** Loads from {@code file} (may be null) and {@code env}. */
  public static OperatorConfig load(Path file, Map<String, String> env) {
    FileConfig fromFile = file == null ? null : read(file);
    List<String> problems = new ArrayList<>();
    Map<String, EndpointLoader.FileEndpoint> raw = new LinkedHashMap<>();
    if (fromFile != null && fromFile.endpoints() != null) {
      raw.putAll(fromFile.endpoints());
    }
    String dashboards = env.get("DASKMPI_ACCESS_DASHBOARDS");
    if (dashboards != null && !dashboards.strip().matches("true|false")) {
      problems.add("DASKMPI_ACCESS_DASHBOARDS: '" + dashboards + "' is neither true nor false");
    }
    EndpointLoader.FileEndpoint fromEnv = envEndpoint(env, raw.get(DEFAULT_ENDPOINT));
    if (fromEnv != null) {
      raw.put(DEFAULT_ENDPOINT, fromEnv);
    }
    Map<String, EndpointConfig> endpoints = new LinkedHashMap<>();
    raw.forEach(
        (name, e) -> EndpointLoader.load(name, e, problems).ifPresent(c -> endpoints.put(name, c)));
    if (raw.isEmpty()) {
      problems.add(
          "no Slurm endpoint: set DASKMPI_SLURM_URL, DASKMPI_SLURM_USER and DASKMPI_SLURM_TOKEN_FILE, or list endpoints in the config file");
    }

    Set<String> namespaces = new LinkedHashSet<>();
    if (fromFile != null && fromFile.watchNamespaces() != null) {
      namespaces.addAll(fromFile.watchNamespaces());
    }
    String envNamespaces = env.get("DASKMPI_WATCH_NAMESPACES");
    if (envNamespaces != null && !envNamespaces.isBlank()) {
      namespaces.clear();
      Arrays.stream(envNamespaces.split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .forEach(namespaces::add);
    }
    Duration poll =
        duration(
            "pollInterval",
            first(
                env.get("DASKMPI_POLL_INTERVAL"),
                fromFile == null ? null : fromFile.pollInterval()),
            OperatorConfig.DEFAULT_POLL_INTERVAL,
            problems);
    Duration resync =
        duration(
            "resyncInterval",
            first(
                env.get("DASKMPI_RESYNC_INTERVAL"),
                fromFile == null ? null : fromFile.resyncInterval()),
            OperatorConfig.DEFAULT_RESYNC_INTERVAL,
            problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new OperatorConfig(endpoints, namespaces, poll, resync);
  }

  private static FileConfig read(Path file) {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      FileConfig config = yaml.readValue(file.toFile(), FileConfig.class);
      return config == null ? new FileConfig(null, null, null, null) : config;
    } catch (IOException e) {
      throw new ConfigException(
          List.of(
              "cannot read config file "
                  + file
                  + ": "
                  + e.getMessage().lines().findFirst().orElse("")));
    }
  }

  /** The environment's default endpoint, layered over the file's one of the same name. */
  private static EndpointLoader.FileEndpoint envEndpoint(
      Map<String, String> env, EndpointLoader.FileEndpoint base) {
    String url = env.get("DASKMPI_SLURM_URL");
    String user = env.get("DASKMPI_SLURM_USER");
    String token = env.get("DASKMPI_SLURM_TOKEN_FILE");
    String version = env.get("DASKMPI_SLURM_API_VERSION");
    String runtime = env.get("DASKMPI_RUNTIME_COMMAND");
    String outputPaths = env.get("DASKMPI_ACCESS_OUTPUT_PATHS");
    String dashboards = env.get("DASKMPI_ACCESS_DASHBOARDS");
    String ports = env.get("DASKMPI_ACCESS_DASHBOARD_PORTS");
    if (url == null
        && user == null
        && token == null
        && version == null
        && runtime == null
        && outputPaths == null
        && dashboards == null
        && ports == null) {
      return null;
    }
    EndpointLoader.FileEndpoint endpoint =
        (base == null ? EndpointLoader.FileEndpoint.EMPTY : base)
            .withEnvironment(url, user, token, version, runtime);
    if (outputPaths != null || dashboards != null || ports != null) {
      EndpointLoader.FileAccess file = endpoint.access();
      endpoint =
          endpoint.withAccess(
              new EndpointLoader.FileAccess(
                  outputPaths != null
                      ? pathMap(outputPaths)
                      : file == null ? null : file.outputPaths(),
                  dashboards != null
                      ? Boolean.valueOf(dashboards.strip())
                      : file == null ? null : file.dashboards(),
                  ports != null
                      ? List.of(ports.split(","))
                      : file == null ? null : file.dashboardPorts()));
    }
    return endpoint;
  }

  /** {@code /cluster=/local,/other=/mnt/other}: an entry without '=' maps a path to itself. */
  private static Map<String, String> pathMap(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      if (!entry.isBlank()) {
        int eq = entry.indexOf('=');
        String cluster = (eq < 0 ? entry : entry.substring(0, eq)).strip();
        map.put(cluster, eq < 0 ? cluster : entry.substring(eq + 1).strip());
      }
    }
    return map;
  }

  static Duration duration(String key, String text, Duration fallback, List<String> problems) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    var m = DURATION.matcher(text.strip());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
      if (!d.isZero()) {
        return d;
      }
    }
    try {
      return Duration.parse(text.strip());
    } catch (DateTimeParseException ex) {
      problems.add(
          key + ": '" + text + "' is not a positive duration such as 500ms, 10s, 5m or 1h");
      return fallback;
    }
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }
}
