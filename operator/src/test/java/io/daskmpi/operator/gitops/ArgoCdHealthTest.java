package io.daskmpi.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs the Argo CD health check (charts/dask-mpi-operator/health/argocd-health.lua) in a JVM Lua
 * (luaj, Lua 5.2) the way Argo CD does: the script is a chunk that reads the global {@code obj} and
 * returns {@code hs}, with only the libraries Argo CD opens for argocd-cm scripts.
 */
class ArgoCdHealthTest {
  static final Path SCRIPT =
      Path.of("..", "charts", "dask-mpi-operator", "health", "argocd-health.lua")
          .toAbsolutePath()
          .normalize();
  static final ObjectMapper JSON = new ObjectMapper();

  record Sample(String name, JsonNode obj, String status, String message) {}

  static Stream<Named<Sample>> samples() throws IOException {
    try (InputStream in =
        ArgoCdHealthTest.class.getResourceAsStream("/gitops/argocd-health-samples.json")) {
      JsonNode all = JSON.readTree(in);
      return StreamSupport.stream(all.spliterator(), false)
          .map(
              n ->
                  new Sample(
                      n.get("case").asText(),
                      n.get("obj"),
                      n.get("expect").get("status").asText(),
                      n.get("expect").get("message").asText()))
          .map(s -> Named.of(s.name(), s))
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void healthOfEverySample(Sample sample) throws IOException {
    assertThat(health(sample.obj()))
        .isEqualTo(Map.of("status", sample.status(), "message", sample.message()));
  }

  @Test
  void samplesCoverEveryPhaseWithACurrentStatus() throws IOException {
    Set<String> covered =
        samples()
            .map(Named::getPayload)
            .map(Sample::obj)
            .filter(o -> o.path("status").has("phase"))
            .filter(
                o ->
                    o.path("status").path("observedGeneration").asLong()
                        == o.path("metadata").path("generation").asLong())
            .map(o -> o.path("status").path("phase").asText())
            .collect(Collectors.toSet());
    assertThat(covered).containsAll(Arrays.stream(Phase.values()).map(Phase::name).toList());
  }

  /** A status as the operator's own model serializes it, so the field names cannot drift. */
  @Test
  void statusSerializedFromTheModel() throws IOException {
    DaskMpiJob job = new DaskMpiJob();
    job.setMetadata(new ObjectMetaBuilder().withName("j").withGeneration(4L).build());
    DaskMpiJobStatus status = new DaskMpiJobStatus();
    status.setPhase(Phase.Running);
    status.setObservedGeneration(4L);
    status.setMessage("running on node01");
    status.setConditions(
        new Conditions(null, Instant.parse("2025-01-01T00:00:00Z"), 4L)
            .set(Conditions.RUNNING, true, "RUNNING", "")
            .set(Conditions.SLURM_REACHABLE, false, "SlurmError", "connection refused")
            .set(Conditions.READY, false, "Running", "in progress")
            .list());
    job.setStatus(status);
    JsonNode obj = JSON.readTree(new KubernetesSerialization().asJson(job));

    assertThat(health(obj))
        .isEqualTo(
            Map.of(
                "status",
                "Progressing",
                "message",
                "Slurm is unreachable, last known phase Running: connection refused"));

    status.setObservedGeneration(3L);
    obj = JSON.readTree(new KubernetesSerialization().asJson(job));
    assertThat(health(obj))
        .containsEntry("status", "Progressing")
        .containsEntry("message", "Waiting for the operator (observed generation 3, current 4)");
  }

  /** The sandbox below is only faithful if it really lacks what Argo CD does not open. */
  @Test
  void sandboxHasNoStringOrMathLibrary() {
    assertThatThrownBy(() -> argoCdGlobals().load("return string.format('%d', 1)").call())
        .isInstanceOf(LuaError.class);
    assertThatThrownBy(() -> argoCdGlobals().load("return math.floor(1.5)").call())
        .isInstanceOf(LuaError.class);
  }

  /** Runs the script with {@code obj} set and returns the fields of the table it returns. */
  static Map<String, String> health(JsonNode obj) throws IOException {
    Globals globals = argoCdGlobals();
    globals.set("obj", toLua(obj));
    LuaValue hs = globals.load(Files.readString(SCRIPT), "health.lua").call();
    assertThat(hs.istable()).as("the script returns a table").isTrue();
    Map<String, String> fields = new HashMap<>();
    LuaValue key = LuaValue.NIL;
    while (true) {
      Varargs next = hs.next(key);
      key = next.arg1();
      if (key.isnil()) {
        return fields;
      }
      fields.put(key.tojstring(), next.arg(2).tojstring());
    }
  }

  /**
   * The libraries Argo CD opens for a health script from argocd-cm (util/lua: package, base, table
   * and a safe os), minus os, which the script does not use.
   */
  static Globals argoCdGlobals() {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    return globals;
  }

  /** JSON to Lua as Argo CD decodes the resource: objects and arrays become tables. */
  static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.properties().forEach(e -> table.set(e.getKey(), toLua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isIntegralNumber()) {
      return LuaInteger.valueOf(node.asLong());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isTextual()) {
      return LuaValue.valueOf(node.asText());
    }
    return LuaValue.NIL;
  }
}
