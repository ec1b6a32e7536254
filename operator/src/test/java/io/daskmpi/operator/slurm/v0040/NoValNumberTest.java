package io.daskmpi.operator.slurm.v0040;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoValNumberTest {
  private final ObjectMapper mapper = new ObjectMapper();

  record Holder(NoValNumber value) {}

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "{\"set\": true, \"infinite\": false, \"number\": 60} | 60",
        "{\"set\": false, \"infinite\": true, \"number\": 0} | -",
        "{\"set\": false, \"infinite\": false, \"number\": 0} | -",
        "60 | 60",
        "\"60\" | 60",
        "null | -",
        "\"Infinity\" | -",
        "1795462107 | 1795462107",
      })
  void readsEveryFormSlurmSends(String json, Long expected) throws Exception {
    Holder holder = mapper.readValue("{\"value\": " + json + "}", Holder.class);
    assertThat(holder.value().value()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"{\"set\": false, \"infinite\": true, \"number\": 0}", "\"Infinity\""})
  void infinityIsInfinite(String json) throws Exception {
    assertThat(mapper.readValue("{\"value\": " + json + "}", Holder.class).value().infinite())
        .isTrue();
  }
}
