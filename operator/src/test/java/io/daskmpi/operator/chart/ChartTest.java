package io.daskmpi.operator.chart;

import static io.daskmpi.operator.chart.Chart.FULLNAME;
import static io.daskmpi.operator.chart.Chart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.daskmpi.operator.config.ConfigLoader;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.slurm.SlurmIdentity;
import io.daskmpi.operator.slurm.TokenSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lints and templates charts/dask-mpi-operator with real Helm and checks what it renders. */
class ChartTest {
  static final String CRD = "daskmpijobs.daskmpi.io-v1.yml";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The operator's rules, as "group resource verbs" (see README: what the operator does). */
  static final List<String> OPERATOR_RULES =
      List.of(
          "daskmpi.io daskmpijobs [get, list, watch, patch, update]",
          "daskmpi.io daskmpijobs/status [update, patch]",
          "daskmpi.io daskmpijobs/finalizers [update]",
          " events [create, patch]");

  static final String TWO_ENDPOINTS =
      """
      endpoints:
        - name: alpha
          url: https://slurm-a.example:6820
          user: alice
          tokenSecret: {name: slurm-a, key: jwt}
          apiVersion: v0.0.42
        - name: beta
          url: http://slurm-b:6820
          user: bob
          tokenSecret: {name: slurm-b, key: token}
          runtimeCommand: java -jar /opt/dask-mpi/dask-mpi-runtime.jar
      """;

  static List<String> rules(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            r ->
                r.getResources().stream()
                    .map(
                        res -> String.join(",", r.getApiGroups()) + " " + res + " " + r.getVerbs()))
        .toList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object yaml) {
    return (Map<String, Object>) yaml;
  }

  static Deployment deployment(Chart.Rendered r) {
    return r.get(Deployment.class, FULLNAME);
  }

  static Container operator(Chart.Rendered r) {
    return deployment(r).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static String configYaml(Chart.Rendered r) {
    return r.get(ConfigMap.class, FULLNAME).getData().get("config.yaml");
  }

  @Test
  void lintStrictPasses() {
    LintResult result = new Helm(Chart.DIR).lint().strict().call();
    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void chartCrdIsAByteForByteCopyOfTheTopLevelOne() throws Exception {
    Path top = Path.of("..", "crds", CRD);
    Path inChart = Chart.DIR.resolve("crds").resolve(CRD);
    assertThat(inChart).exists();
    assertThat(Files.mismatch(top, inChart))
        .as("charts/dask-mpi-operator/crds/%s differs from crds/%s: copy it over", CRD, CRD)
        .isEqualTo(-1L);
    try (var files = Files.list(Chart.DIR.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CRD);
    }
  }

  @Test
  void defaultsRenderAClusterWideOperator() {
    Chart.Rendered r = Chart.render("");

    assertThat(r.objects().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()))
        .containsExactlyInAnyOrder(
            "ServiceAccount/" + FULLNAME,
            "ConfigMap/" + FULLNAME,
            "ClusterRole/" + FULLNAME,
            "ClusterRoleBinding/" + FULLNAME,
            "ClusterRole/" + FULLNAME + "-job-viewer",
            "ClusterRole/" + FULLNAME + "-job-author",
            "Service/" + FULLNAME + "-metrics",
            "Service/" + FULLNAME,
            "Role/" + FULLNAME + "-access-client",
            "Deployment/" + FULLNAME);
    assertThat(r.find(ServiceAccount.class, FULLNAME)).isPresent();

    assertThat(rules(r.get(ClusterRole.class, FULLNAME).getRules()))
        .containsExactlyElementsOf(OPERATOR_RULES);
    ClusterRoleBinding binding = r.get(ClusterRoleBinding.class, FULLNAME);
    assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(FULLNAME);
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
    // The only Role: what kubectl daskmpi users need to port-forward, bound to nobody by default.
    assertThat(r.all(Role.class).map(x -> x.getMetadata().getName()))
        .containsExactly(FULLNAME + "-access-client");
    assertThat(r.all(RoleBinding.class)).isEmpty();

    Container c = operator(r);
    assertThat(c.getImage()).isEqualTo("dask-mpi-operator:0.1.0");
    assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(c.getCommand()).isEmpty();
    assertThat(c.getArgs())
        .containsExactly(
            "operator", "--config", "/etc/dask-mpi-operator/config.yaml", "--access-port", "8082");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    assertThat(c.getEnv()).isEmpty();
    assertThat(c.getEnvFrom()).isEmpty();
    assertThat(deployment(r).getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment(r).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(FULLNAME);
    assertThat(deployment(r).getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey("checksum/config");

    Service svc = r.get(Service.class, FULLNAME + "-metrics");
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("health");
            });
    assertThat(svc.getSpec().getSelector())
        .isEqualTo(deployment(r).getSpec().getSelector().getMatchLabels());
  }

  @Test
  void deploymentIsHardened() {
    Chart.Rendered r = Chart.render("");
    PodSpec pod = deployment(r).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    var sc = operator(r).getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getRunAsUser()).isNotZero();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Container c = operator(r);
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("health:8080", "access:8082");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");

    Map<String, VolumeMount> mounts =
        c.getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes.get(mounts.get("/tmp").getName()).getEmptyDir()).isNotNull();
    assertThat(mounts.get("/tmp").getReadOnly()).isNotEqualTo(Boolean.TRUE);
    VolumeMount config = mounts.get("/etc/dask-mpi-operator");
    assertThat(config.getReadOnly()).isTrue();
    assertThat(volumes.get(config.getName()).getConfigMap().getName()).isEqualTo(FULLNAME);
  }

  /** A projected volume's files: "secret/key->path", comma-separated. */
  static String secretsOf(Volume volume) {
    return volume.getProjected().getSources().stream()
        .map(
            source -> {
              var secret = source.getSecret();
              assertThat(secret.getItems()).singleElement();
              return secret.getName()
                  + "/"
                  + secret.getItems().get(0).getKey()
                  + "->"
                  + secret.getItems().get(0).getPath();
            })
        .collect(Collectors.joining(","));
  }

  @Test
  void namespacesRunAsTheirUsersWithTheirTokensOrTheSigningKey(@TempDir Path root)
      throws Exception {
    Chart.Rendered r =
        Chart.render(
            """
            endpoints:
              - name: hpc
                url: http://slurm:6820
                jwtKeySecret: {name: slurm-jwt, key: jwt_hs256.key}
                tokenLifetime: 15m
                namespaces:
                  - {namespace: team-a, user: alice}
                  - {namespace: team-b, user: bob, tokenSecret: {name: bob-token, key: token}}
            """);
    Volume volume =
        deployment(r).getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("token-hpc"))
            .findFirst()
            .orElseThrow();
    assertThat(secretsOf(volume))
        .isEqualTo(
            "slurm-jwt/jwt_hs256.key->jwt_hs256.key,bob-token/token->namespaces/team-b/token");

    String configYaml = configYaml(r);
    Path key = root.resolve("var/run/secrets/dask-mpi/hpc/jwt_hs256.key");
    Path bob = root.resolve("var/run/secrets/dask-mpi/hpc/namespaces/team-b/token");
    Files.createDirectories(bob.getParent());
    Files.writeString(key, "k");
    Files.writeString(bob, "jwt");
    Path file = root.resolve("config.yaml");
    Files.writeString(file, configYaml.replace("/var/run/secrets/", root + "/var/run/secrets/"));
    EndpointConfig hpc = ConfigLoader.load(file, Map.of()).endpoints().get("hpc");
    assertThat(hpc.identity("team-a").orElseThrow())
        .isEqualTo(
            new SlurmIdentity("alice", new TokenSource.SigningKey(key, Duration.ofMinutes(15))));
    assertThat(hpc.identity("team-b").orElseThrow())
        .isEqualTo(new SlurmIdentity("bob", new TokenSource.File(bob)));
    assertThat(hpc.identity("team-c")).isEmpty();

    assertThatThrownBy(
            () ->
                Chart.template(
                    "endpoints: [{name: x, url: 'http://s:6820', namespaces: [{namespace: a, user: u}]}]\n"))
        .hasMessageContaining(
            "namespace \"a\" needs a tokenSecret, or the endpoint a jwtKeySecret");
  }

  @Test
  void userRolesAreNotFoldedIntoTheBuiltInOnesUnlessAskedTo() {
    Chart.Rendered r = Chart.render("");
    ClusterRole viewer = r.get(ClusterRole.class, FULLNAME + "-job-viewer");
    ClusterRole author = r.get(ClusterRole.class, FULLNAME + "-job-author");
    assertThat(rules(viewer.getRules()))
        .containsExactly(
            "daskmpi.io daskmpijobs [get, list, watch]",
            "daskmpi.io daskmpijobs/status [get, list, watch]",
            "daskmpi.io daskmpijobs/log [get]",
            "daskmpi.io daskmpijobs/dashboard [get]");
    assertThat(rules(author.getRules()))
        .containsExactly(
            "daskmpi.io daskmpijobs [get, list, watch, create, update, patch, delete]",
            "daskmpi.io daskmpijobs/status [get]",
            "daskmpi.io daskmpijobs/log [get]",
            "daskmpi.io daskmpijobs/dashboard [get]");
    for (ClusterRole role : List.of(viewer, author)) {
      assertThat(role.getMetadata().getLabels().keySet())
          .as(role.getMetadata().getName())
          .noneMatch(k -> k.startsWith("rbac.authorization.k8s.io/aggregate-to-"));
    }

    Chart.Rendered opted = Chart.render("rbac: {aggregateToBuiltinRoles: true}\n");
    assertThat(opted.get(ClusterRole.class, FULLNAME + "-job-viewer").getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
        .doesNotContainKeys(
            "rbac.authorization.k8s.io/aggregate-to-edit",
            "rbac.authorization.k8s.io/aggregate-to-admin");
    assertThat(opted.get(ClusterRole.class, FULLNAME + "-job-author").getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true")
        .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view");
  }

  @Test
  void anEndpointsNamespacesAndRootsReachTheOperator() throws Exception {
    Chart.Rendered r =
        Chart.render(
            """
            endpoints:
              - name: alpha
                url: http://slurm-a:6820
                user: alice
                tokenSecret: {name: slurm-a, key: jwt}
                allowedNamespaces: [team-a]
                allowedRoots: ["/home/{user}", "/scratch/{namespace}"]
            """);
    Map<String, Object> alpha =
        map(map(map(YAML.readValue(configYaml(r), Map.class)).get("endpoints")).get("alpha"));
    assertThat(alpha.get("allowedNamespaces")).isEqualTo(List.of("team-a"));
    assertThat(alpha.get("allowedRoots"))
        .isEqualTo(List.of("/home/{user}", "/scratch/{namespace}"));
  }

  @Test
  void theAccessApiIsServedToThePluginWithWhatEachEndpointAllows() throws Exception {
    Chart.Rendered r =
        Chart.render(
            """
            endpoints:
              - name: alpha
                url: http://slurm-a:6820
                user: alice
                tokenSecret: {name: slurm-a, key: jwt}
                access:
                  outputPaths: {/home: /mnt/cluster/home}
                  dashboards: true
            extraVolumes:
              - {name: home, nfs: {server: nas, path: /home, readOnly: true}}
            extraVolumeMounts:
              - {name: home, mountPath: /mnt/cluster/home, readOnly: true}
            """);
    Container c = operator(r);
    assertThat(c.getArgs()).containsSequence("--access-port", "8082");
    assertThat(c.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/mnt/cluster/home"));
    assertThat(deployment(r).getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> v.getNfs() != null && v.getNfs().getServer().equals("nas"));
    var service = r.get(io.fabric8.kubernetes.api.model.Service.class, FULLNAME);
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("access"));
    Map<String, Object> alpha =
        map(map(map(YAML.readValue(configYaml(r), Map.class)).get("endpoints")).get("alpha"));
    assertThat(alpha.get("access"))
        .isEqualTo(Map.of("outputPaths", Map.of("/home", "/mnt/cluster/home"), "dashboards", true));
    for (String role : List.of("-job-viewer", "-job-author")) {
      assertThat(r.get(ClusterRole.class, FULLNAME + role).getRules())
          .as(role)
          .anySatisfy(
              rule ->
                  assertThat(rule.getResources())
                      .contains("daskmpijobs/log", "daskmpijobs/dashboard"));
    }

    assertThat(r.find(RoleBinding.class, FULLNAME + "-access-client")).isEmpty();
    Chart.Rendered open = Chart.render("access: {portForwardGroups: [system:authenticated]}\n");
    assertThat(rules(open.get(Role.class, FULLNAME + "-access-client").getRules()))
        .contains(" pods/portforward [create]");
    assertThat(open.get(RoleBinding.class, FULLNAME + "-access-client").getSubjects())
        .singleElement()
        .satisfies(g -> assertThat(g.getName()).isEqualTo("system:authenticated"));

    Chart.Rendered off = Chart.render("access: {enabled: false}\n");
    assertThat(operator(off).getArgs()).doesNotContain("--access-port");
    assertThat(off.all(io.fabric8.kubernetes.api.model.Service.class))
        .noneMatch(x -> x.getMetadata().getName().equals(FULLNAME));
  }

  @Test
  void watchNamespacesGiveRolesInThoseNamespacesOnly() throws Exception {
    // The access API's port-forward Role left out: only the operator's own Roles here.
    Chart.Rendered r = Chart.render("watchNamespaces: [a, b]\naccess: {enabled: false}\n");

    assertThat(r.all(Role.class).map(x -> x.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("a", "b");
    r.all(Role.class)
        .forEach(
            role -> {
              assertThat(role.getMetadata().getName()).isEqualTo(FULLNAME);
              assertThat(rules(role.getRules())).containsExactlyElementsOf(OPERATOR_RULES);
            });
    assertThat(r.all(RoleBinding.class).map(x -> x.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("a", "b");
    r.all(RoleBinding.class)
        .forEach(
            b -> {
              assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
              assertThat(b.getRoleRef().getName()).isEqualTo(FULLNAME);
              assertThat(b.getSubjects())
                  .singleElement()
                  .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NAMESPACE));
            });
    assertThat(r.all(ClusterRole.class).map(x -> x.getMetadata().getName()))
        .containsExactlyInAnyOrder(FULLNAME + "-job-viewer", FULLNAME + "-job-author");
    assertThat(r.all(ClusterRoleBinding.class)).isEmpty();

    Map<?, ?> config = YAML.readValue(configYaml(r), Map.class);
    assertThat(config.get("watchNamespaces")).isEqualTo(List.of("a", "b"));
  }

  @Test
  void eachEndpointGetsAReadOnlyTokenMountThatItsConfigPointsAt(@TempDir Path root)
      throws Exception {
    Chart.Rendered r = Chart.render(TWO_ENDPOINTS + "pollInterval: 500ms\nresyncInterval: 1h\n");
    PodSpec pod = deployment(r).getSpec().getTemplate().getSpec();
    Container c = operator(r);

    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    List<VolumeMount> tokenMounts =
        c.getVolumeMounts().stream()
            .filter(m -> volumes.get(m.getName()).getProjected() != null)
            .toList();
    assertThat(tokenMounts)
        .extracting(VolumeMount::getMountPath)
        .containsExactlyInAnyOrder(
            "/var/run/secrets/dask-mpi/alpha", "/var/run/secrets/dask-mpi/beta");
    assertThat(tokenMounts).allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(tokenMounts).allSatisfy(m -> assertThat(m.getSubPath()).isNull());
    Map<String, String> secretOf =
        tokenMounts.stream()
            .collect(
                Collectors.toMap(
                    VolumeMount::getMountPath, m -> secretsOf(volumes.get(m.getName()))));
    assertThat(secretOf)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "/var/run/secrets/dask-mpi/alpha", "slurm-a/jwt->token",
                "/var/run/secrets/dask-mpi/beta", "slurm-b/token->token"));

    // No token (nor anything else) reaches the container through the environment.
    assertThat(c.getEnv()).isEmpty();
    assertThat(c.getEnvFrom()).isEmpty();
    assertThat(Chart.template(TWO_ENDPOINTS)).doesNotContain("secretKeyRef", "secretRef");

    // config.yaml has exactly ConfigLoader's keys, and its token files are the mounted ones.
    String configYaml = configYaml(r);
    Map<String, Object> raw = map(YAML.readValue(configYaml, Map.class));
    assertThat(raw.keySet())
        .containsExactlyInAnyOrder("endpoints", "pollInterval", "resyncInterval");
    Map<String, Object> endpoints = map(raw.get("endpoints"));
    assertThat(map(endpoints.get("alpha")).keySet())
        .containsExactlyInAnyOrder("url", "user", "tokenFile", "apiVersion");
    assertThat(map(endpoints.get("beta")).keySet())
        .containsExactlyInAnyOrder("url", "user", "tokenFile", "runtimeCommand");
    for (VolumeMount m : tokenMounts) {
      String name = Path.of(m.getMountPath()).getFileName().toString();
      assertThat(map(endpoints.get(name)).get("tokenFile")).isEqualTo(m.getMountPath() + "/token");
    }

    // ConfigLoader accepts it, once the mounts are re-rooted under a temp directory.
    for (VolumeMount m : tokenMounts) {
      Path token = root.resolve(m.getMountPath().substring(1)).resolve("token");
      Files.createDirectories(token.getParent());
      Files.writeString(token, "jwt");
    }
    Path file = root.resolve("config.yaml");
    Files.writeString(file, configYaml.replace("/var/run/secrets/", root + "/var/run/secrets/"));
    OperatorConfig config = ConfigLoader.load(file, Map.of());
    assertThat(config.endpoints()).containsOnlyKeys("alpha", "beta");
    EndpointConfig alpha = config.endpoints().get("alpha");
    assertThat(alpha.url().toString()).isEqualTo("https://slurm-a.example:6820");
    assertThat(alpha.identity("any").orElseThrow())
        .isEqualTo(
            new SlurmIdentity(
                "alice",
                new TokenSource.File(root.resolve("var/run/secrets/dask-mpi/alpha/token"))));
    assertThat(alpha.apiVersion()).isPresent();
    assertThat(config.endpoints().get("beta").runtimeCommand())
        .containsExactly("java", "-jar", "/opt/dask-mpi/dask-mpi-runtime.jar");
    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.resyncInterval()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void leaderElectionAndLeasePermissionOnlyWithMoreThanOneReplica() {
    Chart.Rendered ha = Chart.render("replicas: 3\n");
    assertThat(deployment(ha).getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment(ha).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("DASKMPI_LEADER_ELECTION_NAMESPACE");
              assertThat(e.getValue()).isEqualTo(NAMESPACE);
            });
    Role lease = ha.get(Role.class, FULLNAME + "-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(rules(lease.getRules()))
        .containsExactly("coordination.k8s.io leases [get, create, update]");
    RoleBinding binding = ha.get(RoleBinding.class, FULLNAME + "-leader-election");
    assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME + "-leader-election");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(FULLNAME));

    for (String values : List.of("", "replicas: 1\n")) {
      Chart.Rendered single = Chart.render(values);
      assertThat(single.find(Role.class, FULLNAME + "-leader-election")).isEmpty();
      assertThat(single.find(RoleBinding.class, FULLNAME + "-leader-election")).isEmpty();
      assertThat(
              deployment(single).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .isNullOrEmpty();
      assertThat(Chart.template(values)).doesNotContain("leases", "coordination.k8s.io");
    }
  }

  @Test
  void serviceMonitorOnlyWhenEnabled() {
    assertThat(Chart.template("")).doesNotContain("ServiceMonitor");
    Chart.Rendered r =
        Chart.render(
            "metrics:\n  serviceMonitor:\n    enabled: true\n    labels: {release: prom}\n");
    HasMetadata sm =
        r.objects().stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .findFirst()
            .orElseThrow();
    assertThat(sm).isInstanceOf(GenericKubernetesResource.class);
    assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(sm.getMetadata().getLabels()).containsEntry("release", "prom");
    Map<String, Object> props = ((GenericKubernetesResource) sm).getAdditionalProperties();
    List<?> endpoints = (List<?>) ((Map<?, ?>) props.get("spec")).get("endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(((Map<?, ?>) e).get("port")).isEqualTo("metrics");
              assertThat(((Map<?, ?>) e).get("path")).isEqualTo("/metrics");
            });
  }

  @Test
  void duplicateEndpointNamesAreRejected() {
    String e = "{name: x, url: 'http://s:6820', user: u, tokenSecret: {name: s, key: t}}";
    assertThatThrownBy(() -> Chart.template("endpoints: [" + e + ", " + e + "]\n"))
        .hasMessageContaining("endpoints: the name \"x\" appears twice");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "replicas: 0",
        "replicas: 1.5",
        "replicas: two",
        "endpoints: []",
        "endpoints: {x: {url: 'http://s:6820', user: u, tokenSecret: {name: s, key: t}}}",
        "endpoints: [{url: 'http://s:6820', user: u, tokenSecret: {name: s, key: t}}]",
        "endpoints: [{name: x, url: 'http://s:6820', tokenSecret: {name: s, key: t}}]",
        "endpoints: [{name: x, user: u, tokenSecret: {name: s, key: t}}]",
        "endpoints: [{name: x, url: 'ftp://s', user: u, tokenSecret: {name: s, key: t}}]",
        "endpoints: [{name: x, url: 'http://s:6820', user: u}]",
        "endpoints: [{name: x, url: 'http://s:6820', user: u, tokenSecret: {name: s}}]",
        "endpoints: [{name: x, url: 'http://s:6820', user: u, tokenSecret: {name: s, key: t}, token: t}]",
        "endpoints: [{name: Bad_Name, url: 'http://s:6820', user: u, tokenSecret: {name: s, key: t}}]",
        "pollInterval: 10 seconds",
        "pollInterval: 0s",
        "resyncInterval: PT5M",
        "watchNamespaces: [Not_A_Namespace]",
        "replica: 2",
      })
  void schemaRejectsBadValues(String values) {
    assertThatThrownBy(() -> Chart.template(values + "\n"))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }
}
