package io.daskmpi.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.daskmpi.operator.api.v1alpha1.InputPolicy;
import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmIdentity;
import io.daskmpi.operator.slurm.TokenSource;
import io.daskmpi.operator.submit.RenderSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one endpoint of the configuration file, naming every problem by its key.
 *
 * <pre>
 * url: http://slurmrestd:6820
 * user: daskjob                    # the Slurm user of namespaces not listed under namespaces
 * tokenFile: /var/run/secrets/slurm/default/token    # that user's JWT
 * jwtKeyFile: /var/run/secrets/slurm/default/jwt_hs256.key   # optional: mint tokens instead
 * namespaces:                      # optional: a Slurm user per namespace
 *   team-a: {user: alice}          # its token minted from jwtKeyFile
 *   team-b: {user: bob, tokenFile: /var/run/secrets/slurm/default/bob}
 * allowedNamespaces: [team-a]      # optional: the namespaces that may use it
 * allowedRoots:                    # optional: confine job paths (a block list: YAML reads
 *   - /home/{user}                 # [/home/{user}] as a map)
 * apiVersion: v0.0.42              # optional: negotiated when absent
 * runtimeCommand: java -jar /opt/dask-mpi/dask-mpi-runtime.jar   # for container.runtime none
 * access:                          # optional: for kubectl daskmpi logs / dashboard
 *   outputPaths:                   # a cluster directory -> where the operator sees it
 *     /home: /mnt/cluster/home
 *   dashboards: true               # HTTP from the operator to the batch host's dashboard
 *   dashboardPorts: [8787, 8800-8809]   # the ports it may reach there (default 8787)
 * </pre>
 */
final class EndpointLoader {
  static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]+");

  private EndpointLoader() {}

  @JsonIgnoreProperties(ignoreUnknown = false)
  record FileIdentity(String user, String tokenFile) {}

  @JsonIgnoreProperties(ignoreUnknown = false)
  record FileAccess(
      Map<String, String> outputPaths, Boolean dashboards, List<String> dashboardPorts) {}

  @JsonIgnoreProperties(ignoreUnknown = false)
  record FileEndpoint(
      String url,
      String user,
      String tokenFile,
      String jwtKeyFile,
      String tokenLifetime,
      Map<String, FileIdentity> namespaces,
      String apiVersion,
      String runtimeCommand,
      List<String> allowedNamespaces,
      List<String> allowedRoots,
      FileAccess access) {

    static final FileEndpoint EMPTY =
        new FileEndpoint(null, null, null, null, null, null, null, null, null, null, null);

    /** This endpoint with another access block. */
    FileEndpoint withAccess(FileAccess access) {
      return new FileEndpoint(
          url,
          user,
          tokenFile,
          jwtKeyFile,
          tokenLifetime,
          namespaces,
          apiVersion,
          runtimeCommand,
          allowedNamespaces,
          allowedRoots,
          access);
    }

    /** This endpoint with the environment's settings of the default endpoint laid over it. */
    FileEndpoint withEnvironment(
        String url, String user, String tokenFile, String apiVersion, String runtimeCommand) {
      return new FileEndpoint(
          first(url, this.url),
          first(user, this.user),
          first(tokenFile, this.tokenFile),
          jwtKeyFile,
          tokenLifetime,
          namespaces,
          first(apiVersion, this.apiVersion),
          first(runtimeCommand, this.runtimeCommand),
          allowedNamespaces,
          allowedRoots,
          access);
    }
  }

  static Optional<EndpointConfig> load(String name, FileEndpoint e, List<String> problems) {
    String key = "endpoints." + name;
    int before = problems.size();
    if (!NAME.matcher(name).matches()) {
      problems.add(
          key + ": the name must be a lower-case DNS label (it is what spec.cluster refers to)");
    }
    URI url = url(key, e.url(), problems);
    Optional<Path> signingKey = readable(key + ".jwtKeyFile", e.jwtKeyFile(), problems);
    Duration lifetime =
        ConfigLoader.duration(
            key + ".tokenLifetime",
            e.tokenLifetime(),
            TokenSource.SigningKey.DEFAULT_LIFETIME,
            problems);
    if (lifetime.compareTo(Duration.ofMinutes(1)) < 0) {
      problems.add(key + ".tokenLifetime: must be at least 1m");
    }
    Optional<SlurmIdentity> fallback = Optional.empty();
    boolean mapped = e.namespaces() != null && !e.namespaces().isEmpty();
    if (e.user() != null && !e.user().isBlank() || !mapped) {
      fallback = identity(key, e.user(), e.tokenFile(), signingKey, lifetime, problems);
    }
    Map<String, SlurmIdentity> identities = new LinkedHashMap<>();
    if (mapped) {
      e.namespaces()
          .forEach(
              (namespace, who) -> {
                String at = key + ".namespaces." + namespace;
                if (!NAME.matcher(namespace).matches()) {
                  problems.add(at + ": not a namespace name");
                }
                FileIdentity w = who == null ? new FileIdentity(null, null) : who;
                identity(at, w.user(), w.tokenFile(), signingKey, lifetime, problems)
                    .ifPresent(i -> identities.put(namespace, i));
              });
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
    JobAccess access = access(key + ".access", e.access(), problems);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new EndpointConfig(
            name,
            url,
            fallback,
            identities,
            version,
            runtime,
            Set.copyOf(namespaces),
            roots,
            access));
  }

  private static JobAccess access(String key, FileAccess a, List<String> problems) {
    if (a == null) {
      return JobAccess.NONE;
    }
    Map<String, String> paths = a.outputPaths() == null ? Map.of() : a.outputPaths();
    paths.forEach(
        (cluster, local) -> {
          for (String path : new String[] {cluster, local}) {
            if (path == null || !path.startsWith("/") || InputPolicy.hasParentSegment(path)) {
              problems.add(
                  key
                      + ".outputPaths: '"
                      + cluster
                      + "': '"
                      + path
                      + "' is not an absolute path without '..'");
            }
          }
        });
    List<JobAccess.PortRange> ports = new ArrayList<>();
    if (a.dashboardPorts() == null) {
      ports.addAll(JobAccess.DEFAULT_DASHBOARD_PORTS);
    } else {
      for (String text : a.dashboardPorts()) {
        JobAccess.PortRange.parse(text == null ? "" : text)
            .ifPresentOrElse(
                ports::add,
                () ->
                    problems.add(
                        key
                            + ".dashboardPorts: '"
                            + text
                            + "' is not a port or a range such as 8787-8799"));
      }
    }
    return new JobAccess(paths, Boolean.TRUE.equals(a.dashboards()), ports);
  }

  /** A user and its token: its own token file, else one minted from the endpoint's key. */
  private static Optional<SlurmIdentity> identity(
      String key,
      String user,
      String tokenFile,
      Optional<Path> signingKey,
      Duration lifetime,
      List<String> problems) {
    int before = problems.size();
    if (user == null || user.isBlank()) {
      problems.add(key + ".user: required (the Slurm user jobs run as)");
    } else if (!USER.matcher(user.strip()).matches()) {
      problems.add(key + ".user: '" + user + "' is not a Slurm user name");
    }
    TokenSource token = null;
    if (tokenFile != null && !tokenFile.isBlank()) {
      token =
          readable(key + ".tokenFile", tokenFile, problems).map(TokenSource.File::new).orElse(null);
    } else if (signingKey.isPresent()) {
      token = new TokenSource.SigningKey(signingKey.get(), lifetime);
    } else {
      problems.add(
          key
              + ".tokenFile: required unless the endpoint has a jwtKeyFile (a file holding the user's JWT)");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new SlurmIdentity(user.strip(), token));
  }

  private static URI url(String key, String text, List<String> problems) {
    if (text == null || text.isBlank()) {
      problems.add(key + ".url: required (slurmrestd's base URL, e.g. http://slurm:6820)");
      return null;
    }
    try {
      URI url = new URI(text.strip());
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
        problems.add(key + ".url: '" + text + "' is not an http(s) URL with a host");
      }
      return url;
    } catch (URISyntaxException ex) {
      problems.add(key + ".url: '" + text + "' is not a URL: " + ex.getReason());
      return null;
    }
  }

  private static Optional<Path> readable(String key, String file, List<String> problems) {
    if (file == null || file.isBlank()) {
      return Optional.empty();
    }
    if (!Files.isReadable(Path.of(file))) {
      problems.add(key + ": cannot read " + file);
      return Optional.empty();
    }
    return Optional.of(Path.of(file));
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

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }
}
