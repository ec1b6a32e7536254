package io.daskmpi.operator.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RankFilterTest {
  /** LINE, RANK wanted (-1: all), what is shown ("-": nothing). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1 client: Dask result: 42   | -1 | 1 client: Dask result: 42",
        "1 client: Dask result: 42   | 1  | Dask result: 42",
        "0 scheduler: listening      | 1  | -",
        "12 worker: ready            | 12 | ready",
        "12 worker: ready            | 1  | -",
        "2: rank 2 of 3              | 2  | rank 2 of 3",
        " 2: rank 2 of 12            | 2  | rank 2 of 12",
        "2: rank 2 of 3              | -1 | 2: rank 2 of 3",
        "1 client: 3: a script's own | 1  | 3: a script's own",
        "dask-mpi-operator: no cd    | 0  | -",
        "dask-mpi-operator: no cd    | -1 | dask-mpi-operator: no cd",
        "1 clients: not a label      | 1  | -",
      })
  void oneRanksLinesLoseTheirLabelAndAllLinesStayAsWritten(String line, int rank, String shown) {
    RankFilter filter = rank < 0 ? RankFilter.ALL : RankFilter.of(rank);
    assertThat(filter.apply(line).orElse("-")).isEqualTo(shown);
  }
}
