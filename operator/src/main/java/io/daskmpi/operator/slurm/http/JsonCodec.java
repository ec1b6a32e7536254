package io.daskmpi.operator.slurm.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daskmpi.operator.slurm.SlurmException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Jackson set up for slurmrestd: unknown fields are ignored (every release adds some), nulls are
 * not sent (v0.0.38 rejects keys it does not know, and a null is no value), and a body that does
 * not parse becomes a {@link SlurmException.Protocol} naming the request.
 */
public final class JsonCodec {
  private final ObjectMapper mapper =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  public <T> T read(HttpReply reply, Class<T> type) {
    if (reply.body().length == 0) {
      throw new SlurmException.Protocol(
          "empty response to "
              + reply.method()
              + " "
              + reply.path()
              + " (HTTP "
              + reply.status()
              + ")",
          reply.status(),
          null);
    }
    try {
      return mapper.readValue(reply.body(), type);
    } catch (IOException e) {
      throw new SlurmException.Protocol(
          "malformed JSON from "
              + reply.method()
              + " "
              + reply.path()
              + " (HTTP "
              + reply.status()
              + "): "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
          reply.status(),
          e);
    }
  }

  /** Reads the shared error envelope, or an empty one if the body is not JSON. */
  public Envelope readEnvelope(HttpReply reply) {
    if (!reply.isJson() || reply.body().length == 0) {
      return Envelope.EMPTY;
    }
    try {
      return mapper.readValue(reply.body(), Envelope.class);
    } catch (IOException e) {
      return Envelope.EMPTY;
    }
  }

  /** A parsed tree, for the one place that scans a document's keys (the OpenAPI paths). */
  public JsonNode readTree(HttpReply reply) {
    try {
      return mapper.readTree(reply.body());
    } catch (IOException e) {
      throw new SlurmException.Protocol(
          "malformed JSON from " + reply.method() + " " + reply.path() + ": " + e.getMessage(),
          reply.status(),
          e);
    }
  }

  /**
   * Reads {@code {"<arrayField>": [...], ...}} from a stream: each element of the array goes to
   * {@code sink} as soon as it is parsed, so a listing of thousands of jobs is never held whole;
   * the other (small) fields are read as {@code restType}.
   */
  public <E, R> R readStreaming(
      InputStream body,
      String arrayField,
      Class<E> elementType,
      Consumer<E> sink,
      Class<R> restType)
      throws IOException {
    try (JsonParser parser = mapper.getFactory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new JsonParseException(parser, "expected a JSON object");
      }
      ObjectNode rest = mapper.createObjectNode();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals(arrayField) && value == JsonToken.START_ARRAY) {
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            sink.accept(mapper.readValue(parser, elementType));
          }
        } else {
          rest.set(field, mapper.readTree(parser));
        }
      }
      return mapper.treeToValue(rest, restType);
    }
  }
}
