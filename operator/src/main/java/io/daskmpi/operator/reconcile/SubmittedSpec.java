package io.daskmpi.operator.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Which parts of a spec may change once the job is submitted, and a digest of the rest. The status
 * keeps the digest of the spec the Slurm job was made from; a later spec with another digest
 * changed something the Slurm job cannot take, which the operator reports instead of ignoring.
 *
 * <p>A CEL transition rule in the CRD would refuse such edits at admission, but comparing the whole
 * spec with the old one costs the API server's estimator more than 100 times its budget.
 */
public final class SubmittedSpec {
  /** Spec fields that may change once the job is submitted. */
  public static final List<String> CHANGEABLE =
      List.of(
          "spec.suspend",
          "spec.activeDeadlineSeconds",
          "spec.ttlSecondsAfterFinished",
          "spec.timeLimit",
          "spec.slurm.partition",
          "spec.slurm.account",
          "spec.slurm.qos",
          "spec.slurm.reservation");

  /**
   * Top-level fields added after jobs were already submitted, with the value that means what their
   * absence meant: left out of the digest at that value, so a job submitted by an older operator
   * keeps its digest once the API server defaults the new field.
   */
  static final Map<String, String> ADDED_LATER = Map.of("launcher", "runtime");

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private SubmittedSpec() {}

  /** SHA-256 of the spec without its {@link #CHANGEABLE} fields, in canonical JSON. */
  public static String fixedDigest(DaskMpiJobSpec spec) {
    ObjectNode tree = CANONICAL.valueToTree(spec);
    for (String path : CHANGEABLE) {
      String[] parts = path.substring("spec.".length()).split("\\.");
      JsonNode parent = tree;
      for (int i = 0; i < parts.length - 1 && parent != null; i++) {
        parent = parent.get(parts[i]);
      }
      if (parent instanceof ObjectNode o) {
        o.remove(parts[parts.length - 1]);
      }
    }
    ADDED_LATER.forEach(
        (field, neutral) -> {
          JsonNode value = tree.get(field);
          if (value != null && neutral.equals(value.asText())) {
            tree.remove(field);
          }
        });
    try {
      byte[] canonical = CANONICAL.writeValueAsBytes(sorted(tree));
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest a spec", e);
    }
  }

  /** The same tree with object keys in order, so that field order never changes the digest. */
  private static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode o) {
      ObjectNode copy = CANONICAL.createObjectNode();
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        copy.set(name, sorted(o.get(name)));
      }
      return copy;
    }
    if (node.isArray()) {
      var copy = CANONICAL.createArrayNode();
      node.forEach(n -> copy.add(sorted(n)));
      return copy;
    }
    return node;
  }
}
