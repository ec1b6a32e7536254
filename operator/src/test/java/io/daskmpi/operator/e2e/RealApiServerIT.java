package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.testing.LocalKube;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          env LD_PRELOAD     | script: a.py\\n  env: [{name: LD_PRELOAD, value: /tmp/x.so}] | spec.env[0].name | spec.env name LD_PRELOAD names a variable
          env PYTHONPATH     | script: a.py\\n  env: [{name: PYTHONPATH, value: /tmp}]      | spec.env[0].name | spec.env name PYTHONPATH
          env SLURM_*        | script: a.py\\n  env: [{name: SLURM_NTASKS, value: '1'}]      | spec.env[0].name | spec.env name SLURM_NTASKS
          '..' in a script   | script: ../bob/steal.py                                     | spec.script      | must not contain a '..' path segment
          '..' in a bind     | script: a.py\\n  container: {runtime: apptainer, binds: ['/data/../etc:/d']} | spec.container.binds | must not contain a '..' path segment
          option --bind      | script: a.py\\n  container: {runtime: apptainer, options: ['--bind=/etc:/e']} | spec.container.options | may only hold options of
          option --fakeroot  | script: a.py\\n  container: {runtime: apptainer, options: [--fakeroot]} | spec.container.options | may only hold options of
          """)
  void hostileInputIsRefusedAtAdmissionNamingTheField(
      String what, String specLines, String field, String message) {
    String yaml = job("hostile", "  " + specLines.replace("\\n", "\n"));
    if (specLines.contains("container:")) {
      yaml = yaml.replace("  container: {runtime: apptainer}\n", "");
    }
    LocalKube.Result r = apply(yaml);
    assertThat(r.exitCode()).as(r.all()).isNotZero();
    assertThat(r.stderr()).contains(field).contains(message);
    assertThat(kube.kubectl(null, "get", "daskmpijob", "hostile", "-n", namespace).exitCode())
        .isNotZero();
  }

  @Test
  void theDocumentedExceptionsAreAdmitted() {
    LocalKube.Result r =
        apply(
            job(
                    "allowed",
                    "  script: a.py\n  env: [{name: PYTHONUNBUFFERED, value: '1'}, {name: OMP_NUM_THREADS, value: '2'}]")
                .replace(
                    "container: {runtime: apptainer}",
                    "container: {runtime: apptainer, options: [--nv, --cleanenv], binds: ['/data/set.1:/data:ro']}"));
    assertThat(r.exitCode()).as(r.all()).isZero();
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
