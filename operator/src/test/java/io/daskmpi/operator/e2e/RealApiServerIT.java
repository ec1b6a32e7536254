package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.testing.LocalKube;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD as users meet it, on the real API server of {@code dev/local-kube} (Kubernetes 1.36's
 * apiextensions-apiserver) with kubectl 1.36: what admission refuses, what {@code kubectl get} and
 * {@code kubectl explain} show. No operator runs here.
 */
class RealApiServerIT {
  private static LocalKube kube;
  private final String namespace = "crd-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void crds() {
    kube = LocalKube.of();
    kube.applyCrds();
  }

  private static String job(String name, String specLines) {
    return String.join(
        "\n",
        "apiVersion: daskmpi.io/v1alpha1",
        "kind: DaskMpiJob",
        "metadata: {name: " + name + "}",
        "spec:",
        "  image: /opt/dask-mpi/dask-mpi.sif",
        "  container: {runtime: apptainer}",
        "  workingDirectory: /home/daskjob",
        "  workers: 1",
        specLines,
        "");
  }

  private LocalKube.Result apply(String yaml) {
    return kube.kubectl(yaml, "apply", "-n", namespace, "-f", "-");
  }

  @Test
  void bothScriptFieldsAreRefusedWithTheCrdsOwnMessage() {
    LocalKube.Result r = apply(job("two-scripts", "  script: a.py\n  inlineScript: print(1)"));
    assertThat(r.exitCode()).as(r.all()).isNotZero();
    assertThat(r.stderr())
        .contains("is invalid")
        .contains("exactly one of spec.script and spec.inlineScript must be set");
    assertThat(kube.kubectl(null, "get", "daskmpijob", "two-scripts", "-n", namespace).exitCode())
        .isNotZero();
  }

  @Test
  void aSchemaViolationNamesTheField() {
    LocalKube.Result r =
        apply(job("no-workers", "  script: a.py").replace("workers: 1", "workers: 0"));
    assertThat(r.exitCode()).as(r.all()).isNotZero();
    assertThat(r.stderr())
        .contains("spec.workers")
        .contains("should be greater than or equal to 1");
  }

  @Test
  void anImpossiblePlacementIsRefusedNamingItsFields() {
    LocalKube.Result oneNode =
        apply(
            job(
                "one-node-head",
                "  script: a.py\n  placement: {nodes: 1, spread: dedicated-head}"));
    assertThat(oneNode.exitCode()).as(oneNode.all()).isNotZero();
    assertThat(oneNode.stderr())
        .contains("spec.placement")
        .contains("dedicated-head needs spec.placement.nodes of at least 2");
    LocalKube.Result tooSmall =
        apply(
            job("too-small", "  script: a.py\n  placement: {nodes: 1, ranksPerNode: 2}")
                .replace("workers: 1", "workers: 4"));
    assertThat(tooSmall.exitCode()).as(tooSmall.all()).isNotZero();
    assertThat(tooSmall.stderr())
        .contains("spec.placement.nodes x spec.placement.ranksPerNode must hold spec.workers + 2");
  }

  @Test
  void theMovedResourcesNodesFieldIsRefusedByName() {
    LocalKube.Result r = apply(job("old-nodes", "  script: a.py\n  resources: {nodes: 2}"));
    assertThat(r.exitCode()).as(r.all()).isNotZero();
    assertThat(r.stderr()).contains("unknown field \"spec.resources.nodes\"");
  }

  @Test
  void explainDescribesThePlacement() {
    assertThat(kube.kubectlOk(null, "explain", "daskmpijob.spec.placement.spread"))
        .contains("dedicated-head")
        .contains("cyclic");
  }

  @Test
  void getShowsThePrinterColumns() {
    kube.kubectlOk(job("columns", "  script: a.py"), "apply", "-n", namespace, "-f", "-");
    String table = kube.kubectlOk(null, "get", "daskmpijobs", "-n", namespace);
    assertThat(table.lines().findFirst().orElseThrow())
        .containsSubsequence("NAME", "AGE", "PHASE", "SLURM JOB", "STATE");
    assertThat(table).contains("columns");
    kube.kubectlOk(null, "delete", "daskmpijob", "columns", "-n", namespace);
  }

  @Test
  void explainDescribesTheSpec() {
    String spec = kube.kubectlOk(null, "explain", "daskmpijob.spec");
    assertThat(spec)
        .contains("GROUP:      daskmpi.io")
        .contains("workers")
        .contains("Number of Dask workers")
        .contains("container");
    assertThat(kube.kubectlOk(null, "explain", "daskmpijob.spec.container.runtime"))
        .contains("apptainer");
  }

  /**
   * Why the operator writes its resource with patches, not server-side apply: an apply to a name
   * that was just deleted creates a new object with nothing but what the apply carried (here a
   * finalizer, as JOSDK's apply adds one), which no one deletes again; a patch fails with NotFound.
   */
  @Test
  void anApplyResurrectsADeletedResourceAndAPatchDoesNot() {
    String onlyFinalizer =
        String.join(
            "\n",
            "apiVersion: daskmpi.io/v1alpha1",
            "kind: DaskMpiJob",
            "metadata: {name: gone, finalizers: [daskmpijobs.daskmpi.io/finalizer]}",
            "");
    LocalKube.Result patch =
        kube.kubectl(
            null,
            "patch",
            "daskmpijob",
            "gone",
            "-n",
            namespace,
            "--type=merge",
            "-p",
            "{\"metadata\":{\"finalizers\":[\"daskmpijobs.daskmpi.io/finalizer\"]}}");
    assertThat(patch.exitCode()).isNotZero();
    assertThat(patch.all()).contains("NotFound");

    kube.kubectlOk(
        onlyFinalizer,
        "apply",
        "--server-side",
        "--field-manager=probe",
        "-n",
        namespace,
        "-f",
        "-");
    String resurrected =
        kube.kubectlOk(null, "get", "daskmpijob", "gone", "-n", namespace, "-o", "json");
    assertThat(resurrected).contains("daskmpijobs.daskmpi.io/finalizer").doesNotContain("\"spec\"");

    kube.kubectlOk(
        null,
        "patch",
        "daskmpijob",
        "gone",
        "-n",
        namespace,
        "--type=merge",
        "-p",
        "{\"metadata\":{\"finalizers\":null}}");
    kube.kubectlOk(null, "delete", "daskmpijob", "gone", "-n", namespace);
  }
}
