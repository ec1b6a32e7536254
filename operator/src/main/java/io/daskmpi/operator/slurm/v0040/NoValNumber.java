package io.daskmpi.operator.slurm.v0040;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;

/**
 * Slurm's "number that may have no value" ({@code *_no_val} structs): {@code {"set": true,
 * "infinite": false, "number": 60}}. A server started with the {@code +complex} data_parser flag
 * sends a plain number, {@code null} or {@code "Infinity"} instead, so all four forms are read.
 *
 * @param set whether a value is present
 * @param infinite whether the value is INFINITE (e.g. an unlimited time limit)
 * @param number the value when {@code set}
 */
@JsonDeserialize(using = NoValNumber.Reader.class)
record NoValNumber(boolean set, boolean infinite, long number) {
  static final NoValNumber UNSET = new NoValNumber(false, false, 0);

  static NoValNumber of(long value) {
    return new NoValNumber(true, false, value);
  }

  /** The value, or null when unset or infinite. */
  Long value() {
    return set && !infinite ? number : null;
  }

  /** Reads every form slurmrestd may send. */
  static final class Reader extends JsonDeserializer<NoValNumber> {
    @Override
    public NoValNumber deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        double value = parser.getDoubleValue();
        return Double.isInfinite(value)
            ? new NoValNumber(false, true, 0)
            : of(parser.getLongValue());
      }
      if (token == JsonToken.VALUE_STRING) {
        String text = parser.getText().trim();
        if (text.equalsIgnoreCase("Infinity") || text.equalsIgnoreCase("INFINITE")) {
          return new NoValNumber(false, true, 0);
        }
        try {
          return of(Long.parseLong(text));
        } catch (NumberFormatException e) {
          return UNSET;
        }
      }
      if (token == JsonToken.START_OBJECT) {
        JsonNode node = parser.readValueAsTree();
        return new NoValNumber(
            node.path("set").asBoolean(false),
            node.path("infinite").asBoolean(false),
            node.path("number").asLong(0));
      }
      return UNSET;
    }

    @Override
    public NoValNumber getNullValue(DeserializationContext context) {
      return UNSET;
    }
  }
}
