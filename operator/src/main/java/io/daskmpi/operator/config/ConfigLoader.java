package io.daskmpi.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.daskmpi.operator.api.v1alpha1.InputPolicy;
import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.submit.RenderSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the configuration from an optional YAML file and the environment, and validates it at
 * start-up so that a bad setting stops the operator with a message naming the key.
 *
 * <pre>
 * endpoints:
 *   default:
 *     url: http://slurmrestd:6820
 *     user: daskjob
 *     tokenFile: /var/run/secrets/slurm/default/token
 *     apiVersion: v0.0.42          # optional: negotiated when absent
 *     runtimeCommand: java -jar /opt/dask-mpi/dask-mpi-runtime.jar   # for container.runtime none
 *     allowedNamespaces: [research]  # optional: namespaces that may use it (all when absent)
 *     allowedRoots:                  # optional: confine job paths (a block list: YAML reads
 *       - /home/{user}               # [/home/{user}] as a map)
 *       - /scratch/{namespace}
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
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private ConfigLoader() {}

  @JsonIgnoreProperties(ignoreUnknown = false)
  record FileEndpoint(
      String url,
      String user,
      String tokenFile,
      String apiVersion,
      String runtimeCommand,
      List<String> allowedNamespaces,
      List<String> allowedRoots) {}

  @JsonIgnoreProperties(ignoreUnknown = false)
  record FileConfig(
      Map<String, FileEndpoint> endpoints,
      List<String> watchNamespaces,
      String pollInterval,
      String resyncInterval) {}

  /** Loads from {@code file} (may be null) and {@code env}. */
  public static OperatorConfig load(Path file, Map<String, String> env) {
    FileConfig fromFile = file == null ? null : read(file);
    List<String> problems = new ArrayList<>();
    Map<String, FileEndpoint> raw = new LinkedHashMap<>();
    if (fromFile != null && fromFile.endpoints() != null) {
      raw.putAll(fromFile.endpoints());
    }
    FileEndpoint fromEnv = envEndpoint(env, raw.get(DEFAULT_ENDPOINT));
    if (fromEnv != null) {
      raw.put(DEFAULT_ENDPOINT, fromEnv);
    }
    Map<String, EndpointConfig> endpoints = new LinkedHashMap<>();
    raw.forEach((name, e) -> endpoint(name, e, problems).ifPresent(c -> endpoints.put(name, c)));
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
  private static FileEndpoint envEndpoint(Map<String, String> env, FileEndpoint base) {
    String url = env.get("DASKMPI_SLURM_URL");
    String user = env.get("DASKMPI_SLURM_USER");
    String token = env.get("DASKMPI_SLURM_TOKEN_FILE");
    String version = env.get("DASKMPI_SLURM_API_VERSION");
    String runtime = env.get("DASKMPI_RUNTIME_COMMAND");
    if (url == null && user == null && token == null && version == null && runtime == null) {
      return null;
    }
    FileEndpoint b =
        base == null ? new FileEndpoint(null, null, null, null, null, null, null) : base;
    return new FileEndpoint(
        first(url, b.url()),
        first(user, b.user()),
        first(token, b.tokenFile()),
        first(version, b.apiVersion()),
        first(runtime, b.runtimeCommand()),
        b.allowedNamespaces(),
        b.allowedRoots());
  }

  private static Optional<EndpointConfig> endpoint(
      String name, FileEndpoint e, List<String> problems) {
    String key = "endpoints." + name;
    int before = problems.size();
    if (!NAME.matcher(name).matches()) {
      problems.add(
          key + ": the name must be a lower-case DNS label (it is what spec.cluster refers to)");
    }
    URI url = null;
    if (e.url() == null || e.url().isBlank()) {
      problems.add(key + ".url: required (slurmrestd's base URL, e.g. http://slurm:6820)");
    } else {
      try {
        url = new URI(e.url().strip());
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
          problems.add(key + ".url: '" + e.url() + "' is not an http(s) URL with a host");
        }
      } catch (URISyntaxException ex) {
        problems.add(key + ".url: '" + e.url() + "' is not a URL: " + ex.getReason());
      }
    }
    if (e.user() == null || e.user().isBlank()) {
      problems.add(key + ".user: required (the Slurm user the token belongs to)");
    }
    if (e.tokenFile() == null || e.tokenFile().isBlank()) {
      problems.add(key + ".tokenFile: required (a file holding the user's JWT)");
    } else if (!Files.isReadable(Path.of(e.tokenFile()))) {
      problems.add(key + ".tokenFile: cannot read " + e.tokenFile());
    }
    Optional<ApiVersion> version = Optional.empty();
    if (e.apiVersion() != null && !e.apiVersion().isBlank()) {
      version = ApiVersion.parse(e.apiVersion());
      if (version.isEmpty()) {
        problems.add(
            key
                + ".apiVersion: '"
                + e.apiVersion()
                + "' is not a version this operator speaks (v0.0.38, v0.0.40 to v0.0.45)");
      }
    }
    List<String> runtime =
        e.runtimeCommand() == null || e.runtimeCommand().isBlank()
            ? RenderSettings.DEFAULT_RUNTIME_COMMAND
            : RenderSettings.words(e.runtimeCommand());
    List<String> namespaces = e.allowedNamespaces() == null ? List.of() : e.allowedNamespaces();
    for (String namespace : namespaces) {
      if (namespace == null || !NAME.matcher(namespace).matches()) {
        problems.add(key + ".allowedNamespaces: '" + namespace + "' is not a namespace name");
      }
    }
    List<String> roots = e.allowedRoots() == null ? List.of() : e.allowedRoots();
    for (String root : roots) {
      rootProblem(root).ifPresent(p -> problems.add(key + ".allowedRoots: '" + root + "' " + p));
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new EndpointConfig(
            name,
            url,
            e.user().strip(),
            Path.of(e.tokenFile()),
            version,
            runtime,
            Set.copyOf(namespaces),
            roots));
  }

  /** A root is an absolute directory; {namespace} and {user} are the only placeholders. */
  private static Optional<String> rootProblem(String root) {
    if (root == null || !root.startsWith("/")) {
      return Optional.of("is not an absolute path");
    }
    if (InputPolicy.hasParentSegment(root)) {
      return Optional.of("must not contain a '..' segment");
    }
    String rest = root.replace("{namespace}", "").replace("{user}", "");
    if (rest.contains("{") || rest.contains("}")) {
      return Optional.of("has a placeholder other than {namespace} and {user}");
    }
    return Optional.empty();
  }

  private static Duration duration(
      String key, String text, Duration fallback, List<String> problems) {
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
