package io.daskmpi.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmIdentity;
import io.daskmpi.operator.slurm.TokenSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path token() throws Exception {
    return Files.writeString(dir.resolve("token"), "t");
  }

  private Path configFile(String yaml) throws Exception {
    return Files.writeString(dir.resolve("config.yaml"), yaml);
  }

  /** A config file whose one endpoint, default, runs as alice, plus the given endpoint keys. */
  private Path aliceEndpointWith(String keys) throws Exception {
    return configFile(
        """
        endpoints:
          default:
            url: http://a:6820
            user: alice
            tokenFile: %s
        """
                .formatted(token())
            + keys.indent(4));
  }

  @Test
  void environmentAloneDefinesTheDefaultEndpoint() throws Exception {
    OperatorConfig c =
        ConfigLoader.load(
            null,
            Map.of(
                "DASKMPI_SLURM_URL", "http://127.0.0.1:6820",
                "DASKMPI_SLURM_USER", "daskjob",
                "DASKMPI_SLURM_TOKEN_FILE", token().toString(),
                "DASKMPI_RUNTIME_COMMAND", "java -jar /x/rt.jar",
                "DASKMPI_POLL_INTERVAL", "2s"));
    EndpointConfig e = c.endpoint("default").orElseThrow();
    assertThat(e.url().toString()).isEqualTo("http://127.0.0.1:6820");
    assertThat(e.runtimeCommand()).containsExactly("java", "-jar", "/x/rt.jar");
    assertThat(e.apiVersion()).isEmpty();
    assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.resyncInterval()).isEqualTo(OperatorConfig.DEFAULT_RESYNC_INTERVAL);
    assertThat(c.watchNamespaces()).isEmpty();
  }

  @Test
  void fileListsNamedEndpointsAndTheEnvironmentOverridesDefault() throws Exception {
    Path file =
        configFile(
            """
            endpoints:
              default:
                url: http://a:6820
                user: alice
                tokenFile: %s
              gpu:
                url: https://b:6820
                user: bob
                tokenFile: %s
                apiVersion: v0.0.41
            watchNamespaces: [research, teaching]
            pollInterval: 30s
            """
                .formatted(token(), token()));
    OperatorConfig c =
        ConfigLoader.load(
            file, Map.of("DASKMPI_SLURM_USER", "carol", "DASKMPI_WATCH_NAMESPACES", "one, two"));
    assertThat(c.endpoints()).containsOnlyKeys("default", "gpu");
    assertThat(c.endpoint("default").orElseThrow().identity("any").orElseThrow().user())
        .isEqualTo("carol");
    assertThat(c.endpoint("default").orElseThrow().url().getHost()).isEqualTo("a");
    assertThat(c.endpoint("gpu").orElseThrow().apiVersion()).contains(ApiVersion.V0_0_41);
    assertThat(c.watchNamespaces()).containsExactlyInAnyOrder("one", "two");
    assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void everyProblemIsNamedByItsKey() throws Exception {
    Path file =
        configFile(
            """
            endpoints:
              Bad_Name:
                url: ftp://x
                user: u
                tokenFile: /nonexistent/token
                apiVersion: v9
            pollInterval: often
            """);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("endpoints.Bad_Name: the name must be a lower-case DNS label")
        .hasMessageContaining("endpoints.Bad_Name.url: 'ftp://x' is not an http(s) URL")
        .hasMessageContaining("endpoints.Bad_Name.tokenFile: cannot read /nonexistent/token")
        .hasMessageContaining("endpoints.Bad_Name.apiVersion: 'v9'")
        .hasMessageContaining("pollInterval: 'often'");
  }

  @Test
  void anEndpointNamesItsNamespacesAndRoots() throws Exception {
    Path file =
        aliceEndpointWith(
            """
            allowedNamespaces: [team-a]
            allowedRoots:
              - /home/{user}
              - /scratch/{namespace}
            """);
    EndpointConfig e = ConfigLoader.load(file, Map.of()).endpoint("default").orElseThrow();
    assertThat(e.admits("team-a")).isTrue();
    assertThat(e.admits("team-b")).isFalse();
    assertThat(e.roots("team-a").roots()).containsExactly("/home/alice", "/scratch/team-a");
  }

  @Test
  void anEndpointSaysWhatTheOperatorMayReachAndTheEnvironmentOverridesIt() throws Exception {
    Path file =
        aliceEndpointWith(
            """
            access:
              outputPaths: {/home: /mnt/home, /scratch: /scratch}
              dashboards: true
            """);
    JobAccess fromFile =
        ConfigLoader.load(file, Map.of()).endpoint("default").orElseThrow().access();
    assertThat(fromFile)
        .isEqualTo(new JobAccess(Map.of("/home", "/mnt/home", "/scratch", "/scratch"), true));

    JobAccess fromEnv =
        ConfigLoader.load(
                file,
                Map.of(
                    "DASKMPI_ACCESS_OUTPUT_PATHS", "/home=/nfs/home, /",
                    "DASKMPI_ACCESS_DASHBOARDS", "false"))
            .endpoint("default")
            .orElseThrow()
            .access();
    assertThat(fromEnv).isEqualTo(new JobAccess(Map.of("/home", "/nfs/home", "/", "/"), false));
    assertThat(
            ConfigLoader.load(aliceEndpointWith(""), Map.of())
                .endpoint("default")
                .orElseThrow()
                .access())
        .isEqualTo(JobAccess.NONE);
  }

  @Test
  void badAccessSettingsAreNamed() throws Exception {
    Path file = aliceEndpointWith("access: {outputPaths: {home: /mnt/home, /a: /b/../c}}\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("DASKMPI_ACCESS_DASHBOARDS", "yes")))
        .hasMessageContaining(
            "endpoints.default.access.outputPaths: 'home': 'home' is not an absolute path")
        .hasMessageContaining("'/a': '/b/../c' is not an absolute path without '..'")
        .hasMessageContaining("DASKMPI_ACCESS_DASHBOARDS: 'yes' is neither true nor false");
  }

  @Test
  void badNamespacesAndRootsAreNamed() throws Exception {
    Path file =
        aliceEndpointWith(
            """
            allowedNamespaces: [Team_A]
            allowedRoots:
              - scratch
              - /home/../etc
              - /home/{uid}
            """);
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .hasMessageContaining("endpoints.default.allowedNamespaces: 'Team_A' is not a namespace")
        .hasMessageContaining("endpoints.default.allowedRoots: 'scratch' is not an absolute path")
        .hasMessageContaining("'/home/../etc' must not contain a '..' segment")
        .hasMessageContaining("'/home/{uid}' has a placeholder other than {namespace} and {user}");
  }

  @Test
  void namespacesMapToUsersWithTokenFilesOrMintedTokens() throws Exception {
    Path key = Files.writeString(dir.resolve("jwt_hs256.key"), "k");
    Path file =
        configFile(
            """
            endpoints:
              default:
                url: http://a:6820
                jwtKeyFile: %s
                tokenLifetime: 10m
                namespaces:
                  team-a: {user: alice}
                  team-b: {user: bob, tokenFile: %s}
            """
                .formatted(key, token()));
    EndpointConfig e = ConfigLoader.load(file, Map.of()).endpoint("default").orElseThrow();
    assertThat(e.identity("team-a").orElseThrow())
        .isEqualTo(
            new SlurmIdentity("alice", new TokenSource.SigningKey(key, Duration.ofMinutes(10))));
    assertThat(e.identity("team-b").orElseThrow())
        .isEqualTo(new SlurmIdentity("bob", new TokenSource.File(token())));
    assertThat(e.identity("team-c")).as("no default user: unmapped namespaces may not").isEmpty();
    assertThat(e.connection("team-a").orElseThrow().key()).isEqualTo("default/alice");
  }

  @Test
  void anIdentityWithoutATokenOrWithABadUserIsNamed() throws Exception {
    Path file =
        configFile(
            """
            endpoints:
              default:
                url: http://a:6820
                namespaces:
                  team-a: {user: alice}
                  team-b: {user: "b\\"ob", tokenFile: %s}
                  Team_C: {user: carol, tokenFile: %s}
            """
                .formatted(token(), token()));
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .hasMessageContaining(
            "endpoints.default.namespaces.team-a.tokenFile: required unless the endpoint has a jwtKeyFile")
        .hasMessageContaining(
            "endpoints.default.namespaces.team-b.user: 'b\"ob' is not a Slurm user name")
        .hasMessageContaining("endpoints.default.namespaces.Team_C: not a namespace name");
  }

  @Test
  void noEndpointAtAllIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of()))
        .hasMessageContaining("no Slurm endpoint");
  }

  @Test
  void unknownKeysInTheFileAreRejected() throws Exception {
    Path file = Files.writeString(dir.resolve("c.yaml"), "endpoints: {}\npolInterval: 5s\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageContaining("polInterval");
  }

  @Test
  void durationsInEveryForm() throws Exception {
    for (var row :
        List.of(List.of("500ms", "PT0.5S"), List.of("5m", "PT5M"), List.of("PT1H", "PT1H"))) {
      OperatorConfig c =
          ConfigLoader.load(
              null,
              Map.of(
                  "DASKMPI_SLURM_URL",
                  "http://h:1",
                  "DASKMPI_SLURM_USER",
                  "u",
                  "DASKMPI_SLURM_TOKEN_FILE",
                  token().toString(),
                  "DASKMPI_POLL_INTERVAL",
                  row.get(0)));
      assertThat(c.pollInterval()).isEqualTo(Duration.parse(row.get(1)));
    }
  }
}
