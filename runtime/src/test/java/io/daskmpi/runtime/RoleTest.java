package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoleTest {

  @ParameterizedTest(name = "rank {0} of {1} is the {2}")
  @CsvSource({
    "0, 3, scheduler",
    "1, 3, client",
    "2, 3, worker",
    "0, 5, scheduler",
    "1, 5, client",
    "2, 5, worker",
    "3, 5, worker",
    "4, 5, worker",
  })
  void roleTable(int rank, int size, String role) {
    Rank r = new Rank(rank, size, Launcher.SRUN, "test");

    assertThat(r.role().label()).isEqualTo(role);
    assertThat(r.workers()).isEqualTo(size - 2);
  }

  @Test
  void exactlyOneSchedulerAndOneClientWhateverTheSize() {
    for (int size = 3; size <= 64; size++) {
      long schedulers = IntStream.range(0, size).filter(r -> Role.of(r) == Role.SCHEDULER).count();
      long clients = IntStream.range(0, size).filter(r -> Role.of(r) == Role.CLIENT).count();

      assertThat(schedulers).isOne();
      assertThat(clients).isOne();
    }
  }

  @Test
  void negativeRanksDoNotExist() {
    assertThatThrownBy(() -> Role.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rank(3, 3, Launcher.SRUN, "test"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
