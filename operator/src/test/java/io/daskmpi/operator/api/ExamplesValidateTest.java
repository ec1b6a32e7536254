package io.daskmpi.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daskmpi.operator.api.CrdSchemaValidator.Violation;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every DaskMpiJob the user is shown (examples/*.yaml, README yaml blocks) passes the committed
 * CRD's schema and CEL rules, and broken copies of an example fail for the right reason.
 */
class ExamplesValidateTest {
  static final Path REPO = Path.of("..");
  static final String KIND = "DaskMpiJob";

  /** A ```yaml fence up to the next closing fence; the body is group 1. */
  static final Pattern YAML_BLOCK =
      Pattern.compile("^```ya?ml[ \\t]*\\R(.*?)^```", Pattern.MULTILINE | Pattern.DOTALL);

  static CrdSchemaValidator validator;

  @BeforeAll
  static void loadCrd() throws IOException {
    validator = new CrdSchemaValidator(REPO.resolve("crds/daskmpijobs.daskmpi.io-v1.yml"));
  }

  @Test
  void examplesAreFoundAndTheReadmeIsScanned() throws IOException {
    assertThat(examples()).as("DaskMpiJobs in examples/*.yaml").isNotEmpty();
    // The README may show no DaskMpiJob yet; the count is printed so a reader can see the scan ran.
    System.out.println("README.md: " + readmeJobs().size() + " yaml block(s) with kind: " + KIND);
  }

  @TestFactory
  Stream<DynamicTest> everyExampleValidates() throws IOException {
    return validates(examples());
  }

  @TestFactory
  Stream<DynamicTest> everyReadmeBlockValidates() throws IOException {
    return validates(readmeJobs());
  }

  @Test
  void readmeScanFindsOnlyYamlBlocksOfTheKind() throws IOException {
    String markdown =
        String.join(
            "\n",
            "```yaml",
            "kind: DaskMpiJob",
            "spec: {}",
            "```",
            "```",
            "kind: DaskMpiJob",
            "```",
            "```yaml",
            "kind: ConfigMap",
            "```",
            "```yml",
            "kind: Other",
            "---",
            "kind: DaskMpiJob",
            "```",
            "");
    assertThat(jobsInMarkdown(markdown, "test.md")).hasSize(2);
  }

  @Test
  void defaultsApplyOnlyInsidePresentObjects() throws IOException {
    ObjectNode job = singularityExample();
    ((ObjectNode) job.get("spec")).remove(List.of("container", "workers"));
    ((ObjectNode) job.get("spec")).putNull("cluster");
    JsonNode spec = validator.withDefaults(job).get("spec");
    assertThat(spec.has("container")).isFalse();
    assertThat(spec.get("workers").asLong()).isEqualTo(1);
    assertThat(spec.get("cluster").asText()).isEqualTo("default");

    ((ObjectNode) job.get("spec")).putObject("container");
    spec = validator.withDefaults(job).get("spec");
    assertThat(spec.at("/container/runtime").asText()).isEqualTo("singularity");
  }

  @Test
  void bothScriptAndInlineScriptIsRejected() throws IOException {
    assertOnly(
        spec -> spec.put("inlineScript", "print(1)"),
        "cel",
        "$.spec",
        "exactly one of spec.script and spec.inlineScript must be set");
  }

  @Test
  void neitherScriptNorInlineScriptIsRejected() throws IOException {
    assertOnly(
        spec -> spec.remove("script"),
        "cel",
        "$.spec",
        "exactly one of spec.script and spec.inlineScript must be set");
  }

  @Test
  void singularityWithoutImageIsRejected() throws IOException {
    assertOnly(
        spec -> spec.remove("image"),
        "cel",
        "$.spec",
        "spec.image is required unless spec.container.runtime is none");
  }

  @Test
  void zeroWorkersIsRejected() throws IOException {
    assertOnly(spec -> spec.put("workers", 0), "minimum", "$.spec.workers", "minimum value of 1");
  }

  @Test
  void badTimeLimitIsRejected() throws IOException {
    assertOnly(spec -> spec.put("timeLimit", "soon"), "pattern", "$.spec.timeLimit", "pattern");
  }

  @Test
  void envNameStartingWithADigitIsRejected() throws IOException {
    assertOnly(
        spec -> spec.putArray("env").addObject().put("name", "1BAD").put("value", "x"),
        "pattern",
        "$.spec.env[0].name",
        "pattern");
  }

  @Test
  void unknownContainerRuntimeIsRejected() throws IOException {
    assertOnly(
        spec -> ((ObjectNode) spec.get("container")).put("runtime", "docker"),
        "enum",
        "$.spec.container.runtime",
        "enumeration");
  }

  @Test
  void dedicatedHeadOnOneNodeIsRejected() throws IOException {
    assertOnly(
        spec -> spec.putObject("placement").put("nodes", 1).put("spread", "dedicated-head"),
        "cel",
        "$.spec.placement",
        "spec.placement.spread dedicated-head needs spec.placement.nodes of at least 2");
  }

  @Test
  void nodesTimesRanksPerNodeBelowTheRanksIsRejected() throws IOException {
    assertOnly(
        spec -> {
          spec.put("workers", 4);
          spec.putObject("placement").put("nodes", 2).put("ranksPerNode", 2);
        },
        "cel",
        "$.spec",
        "spec.placement.nodes x spec.placement.ranksPerNode must hold spec.workers + 2 ranks");
  }

  @Test
  void dedicatedHeadWithTooFewRanksPerNodeIsRejected() throws IOException {
    assertOnly(
        spec -> {
          spec.put("workers", 5);
          spec.putObject("placement")
              .put("nodes", 3)
              .put("ranksPerNode", 2)
              .put("spread", "dedicated-head");
        },
        "cel",
        "$.spec",
        "spec.placement.ranksPerNode with spread dedicated-head must be at least 2");
  }

  @Test
  void unknownSpreadIsRejected() throws IOException {
    assertOnly(
        spec -> spec.putObject("placement").put("spread", "scatter"),
        "enum",
        "$.spec.placement.spread",
        "enumeration");
  }

  @Test
  void misspelledFieldIsRejected() throws IOException {
    assertOnly(
        spec -> spec.put("timelimit", "5"), "unknown-field", "$.spec.timelimit", "unknown field");
  }

  /** The singularity example, changed by {@code edit}, has exactly the one expected violation. */
  static void assertOnly(Consumer<ObjectNode> edit, String keyword, String path, String messagePart)
      throws IOException {
    ObjectNode job = singularityExample();
    edit.accept((ObjectNode) job.get("spec"));
    List<Violation> violations = validator.validate(job);
    assertThat(violations)
        .as("violations of the edited example")
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.keyword()).isEqualTo(keyword);
              assertThat(v.path()).isEqualTo(path);
              assertThat(v.message()).contains(messagePart);
            });
  }

  /** A fresh copy each time; it must be valid as is, or the negative cases prove nothing. */
  static ObjectNode singularityExample() throws IOException {
    Map.Entry<String, JsonNode> example =
        examples().stream()
            .filter(e -> e.getKey().contains("dask-example-singularity.yaml"))
            .findFirst()
            .orElseThrow();
    assertThat(validator.validate(example.getValue())).isEmpty();
    return (ObjectNode) example.getValue().deepCopy();
  }

  static Stream<DynamicTest> validates(List<Map.Entry<String, JsonNode>> jobs) {
    return jobs.stream()
        .map(
            job ->
                DynamicTest.dynamicTest(
                    job.getKey(),
                    () ->
                        assertThat(validator.validate(job.getValue())).as(job.getKey()).isEmpty()));
  }

  /** Every DaskMpiJob document of examples/*.yaml, named file#document. */
  static List<Map.Entry<String, JsonNode>> examples() throws IOException {
    List<Map.Entry<String, JsonNode>> jobs = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(REPO.resolve("examples"), "*.yaml")) {
      for (Path file : files) {
        jobs.addAll(jobsIn(Files.readString(file), "examples/" + file.getFileName()));
      }
    }
    jobs.sort(Map.Entry.comparingByKey());
    return jobs;
  }

  static List<Map.Entry<String, JsonNode>> readmeJobs() throws IOException {
    return jobsInMarkdown(Files.readString(REPO.resolve("README.md")), "README.md");
  }

  static List<Map.Entry<String, JsonNode>> jobsInMarkdown(String markdown, String name)
      throws IOException {
    List<Map.Entry<String, JsonNode>> jobs = new ArrayList<>();
    Matcher block = YAML_BLOCK.matcher(markdown);
    for (int i = 1; block.find(); i++) {
      jobs.addAll(jobsIn(block.group(1), name + " yaml block " + i));
    }
    return jobs;
  }

  /** A YAML text may hold several documents; only those of our kind are checked. */
  static List<Map.Entry<String, JsonNode>> jobsIn(String yaml, String name) throws IOException {
    List<Map.Entry<String, JsonNode>> jobs = new ArrayList<>();
    List<JsonNode> documents =
        new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
    for (int i = 0; i < documents.size(); i++) {
      JsonNode document = documents.get(i); // null for an empty document
      if (document != null && KIND.equals(document.path("kind").asText())) {
        jobs.add(Map.entry(name + "#" + i, document));
      }
    }
    return jobs;
  }
}
