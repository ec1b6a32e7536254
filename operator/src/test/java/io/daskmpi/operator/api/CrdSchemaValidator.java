package io.daskmpi.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a custom resource the way the API server would on create, since no API server runs
 * here: prune nulls, apply the schema's defaults, then the OpenAPI v3 schema (networknt, draft 4
 * dialect, the closest to OpenAPI v3), strict field validation (kubectl's default rejects unknown
 * fields instead of silently pruning them) and the CEL rules (cel-java, standard library only: a
 * rule using a Kubernetes CEL library function fails to compile here, loudly).
 */
final class CrdSchemaValidator {
  /** One problem; {@code keyword} is the schema keyword ("minimum", "pattern", ...) or "cel". */
  record Violation(String keyword, String path, String message) {}

  /**
   * @param messageProgram the compiled messageExpression, or null for the static message
   * @param fieldPath the rule's fieldPath (".name"), appended to the reported path
   */
  private record CelRule(
      List<String> path,
      String rule,
      String message,
      CelRuntime.Program program,
      CelRuntime.Program messageProgram,
      String fieldPath) {}

  /** Fields the API server owns at the root; the CRD schema does not describe them. */
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private static final YAMLMapper YAML = new YAMLMapper();

  private final String apiVersion;
  private final JsonNode openApiSchema;
  private final JsonSchema schema;
  private final List<CelRule> celRules = new ArrayList<>();

  CrdSchemaValidator(Path crdFile) throws IOException {
    JsonNode crd = YAML.readTree(crdFile.toFile());
    JsonNode version = storageVersion(crd);
    apiVersion = crd.at("/spec/group").asText() + "/" + version.get("name").asText();
    openApiSchema = version.at("/schema/openAPIV3Schema");
    // The CEL rules are checked below; tell networknt they are known, so it neither warns nor
    // fails.
    JsonMetaSchema dialect =
        JsonMetaSchema.builder(JsonMetaSchema.getV4())
            .keyword(new NonValidationKeyword("x-kubernetes-validations"))
            .build();
    schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, b -> b.metaSchema(dialect))
            .getSchema(openApiSchema);
    collectCelRules(cel(SimpleType.BOOL), cel(SimpleType.STRING), openApiSchema, List.of());
  }

  private static Cel cel(CelType result) {
    return CelFactory.standardCelBuilder()
        // Kubernetes rules use has(), all(), exists() ...; cel-java leaves macros off by default.
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("self", SimpleType.DYN)
        .setResultType(result)
        .build();
  }

  static JsonNode readYaml(String text) throws IOException {
    return YAML.readTree(text);
  }

  List<Violation> validate(JsonNode resource) {
    JsonNode object = withDefaults(resource);
    List<Violation> violations = new ArrayList<>();
    if (!apiVersion.equals(object.path("apiVersion").asText())) {
      violations.add(new Violation("apiVersion", "$.apiVersion", "must be " + apiVersion));
    }
    schema
        .validate(object)
        .forEach(
            m ->
                violations.add(
                    new Violation(
                        m.getType(), m.getInstanceLocation().toString(), m.getMessage())));
    unknownFields(object, openApiSchema, "$", true, violations);
    celRules.forEach(rule -> evaluate(rule, object, rule.path(), "$", violations));
    return violations;
  }

  /** A copy with nulls pruned and schema defaults applied, as the API server stores it. */
  JsonNode withDefaults(JsonNode resource) {
    JsonNode copy = resource.deepCopy();
    applyDefaults(copy, openApiSchema);
    return copy;
  }

  private static JsonNode storageVersion(JsonNode crd) {
    for (JsonNode version : crd.at("/spec/versions")) {
      if (version.path("storage").asBoolean()) {
        return version;
      }
    }
    throw new IllegalArgumentException("CRD has no storage version");
  }

  /** Structural defaulting: only inside objects that are present, recursing into defaulted ones. */
  private static void applyDefaults(JsonNode value, JsonNode schema) {
    if (value instanceof ObjectNode object) {
      // Non-nullable fields set to null are pruned before defaulting, so a default fills them.
      object.properties().removeIf(f -> f.getValue().isNull());
      schema
          .path("properties")
          .fields()
          .forEachRemaining(
              p -> {
                if (!object.has(p.getKey()) && p.getValue().has("default")) {
                  object.set(p.getKey(), p.getValue().get("default").deepCopy());
                }
                if (object.has(p.getKey())) {
                  applyDefaults(object.get(p.getKey()), p.getValue());
                }
              });
    } else if (value.isArray()) {
      value.forEach(item -> applyDefaults(item, schema.path("items")));
    }
  }

  private static void unknownFields(
      JsonNode value, JsonNode schema, String path, boolean root, List<Violation> out) {
    if (value.isObject() && schema.has("properties")) {
      value
          .fields()
          .forEachRemaining(
              f -> {
                String fieldPath = path + "." + f.getKey();
                JsonNode fieldSchema = schema.get("properties").get(f.getKey());
                if (fieldSchema != null) {
                  unknownFields(f.getValue(), fieldSchema, fieldPath, false, out);
                } else if (!(root && ROOT_FIELDS.contains(f.getKey()))) {
                  out.add(new Violation("unknown-field", fieldPath, "unknown field " + fieldPath));
                }
              });
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        unknownFields(value.get(i), schema.path("items"), path + "[" + i + "]", false, out);
      }
    }
  }

  /** Finds every x-kubernetes-validations; "*" in a path stands for each item of an array. */
  private void collectCelRules(Cel rules, Cel messages, JsonNode schema, List<String> path) {
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      String rule = validation.get("rule").asText();
      String messageExpression = validation.path("messageExpression").asText(null);
      celRules.add(
          new CelRule(
              path,
              rule,
              validation.path("message").asText(rule),
              compile(rules, rule),
              messageExpression == null ? null : compile(messages, messageExpression),
              validation.path("fieldPath").asText("")));
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> collectCelRules(rules, messages, p.getValue(), append(path, p.getKey())));
    if (schema.has("items")) {
      collectCelRules(rules, messages, schema.get("items"), append(path, "*"));
    }
  }

  private static CelRuntime.Program compile(Cel cel, String expression) {
    try {
      return cel.createProgram(cel.compile(expression).getAst());
    } catch (Exception e) {
      throw new IllegalStateException("CEL expression does not compile: " + expression, e);
    }
  }

  /** Walks to the rule's level; rules on absent values are not evaluated, as in Kubernetes. */
  private static void evaluate(
      CelRule rule, JsonNode value, List<String> rest, String path, List<Violation> out) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    if (!rest.isEmpty()) {
      String step = rest.get(0);
      List<String> tail = rest.subList(1, rest.size());
      if (step.equals("*")) {
        for (int i = 0; i < value.size(); i++) {
          evaluate(rule, value.get(i), tail, path + "[" + i + "]", out);
        }
      } else {
        evaluate(rule, value.get(step), tail, path + "." + step, out);
      }
      return;
    }
    try {
      Map<String, Object> self = Map.of("self", toCel(value));
      if (!Boolean.TRUE.equals(rule.program().eval(self))) {
        String message =
            rule.messageProgram() == null
                ? rule.message()
                : (String) rule.messageProgram().eval(self);
        out.add(new Violation("cel", path + rule.fieldPath(), message));
      }
    } catch (CelEvaluationException e) {
      out.add(new Violation("cel", path, rule.rule() + ": " + e.getMessage()));
    }
  }

  /** CEL wants plain Java values; its int is a Long, so Jackson's Integer must not leak in. */
  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    return node.asText();
  }

  private static List<String> append(List<String> path, String step) {
    List<String> longer = new ArrayList<>(path);
    longer.add(step);
    return List.copyOf(longer);
  }
}
