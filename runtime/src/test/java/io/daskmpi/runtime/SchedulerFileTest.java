package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SchedulerFileTest {
  /** As written by distributed 2022.12.1's scheduler. */
  static final String WRITTEN =
      """
      {
        "type": "Scheduler",
        "id": "Scheduler-9da06a20-cc79-4e89-98b8-46f5558e9ac7",
        "address": "tcp://127.0.0.1:34739",
        "services": {
          "dashboard": 8787
        },
        "started": 1795464919.9053602,
        "workers": {}
      }
      """;

  @Test
  void readsWhatTheSchedulerWrites() {
    assertThat(SchedulerFile.parse(WRITTEN))
        .contains(
            new SchedulerFile(
                "Scheduler-9da06a20-cc79-4e89-98b8-46f5558e9ac7",
                "tcp://127.0.0.1:34739",
                OptionalInt.of(8787)));
  }

  @Test
  void aHalfWrittenFileIsNotThereYet() {
    assertThat(SchedulerFile.parse("")).isEmpty();
    assertThat(SchedulerFile.parse(WRITTEN.substring(0, WRITTEN.indexOf("\"services\""))))
        .isEmpty();
    assertThat(SchedulerFile.parse("{\"type\": \"Scheduler\"}")).isEmpty();
  }

  @Test
  void dashboardUrlUsesTheActualPort() {
    // Port 8787 taken: Dask serves the dashboard elsewhere and writes that port into the file.
    SchedulerFile moved =
        SchedulerFile.parse(WRITTEN.replace("8787", "45919").replace("127.0.0.1", "cn01")).get();

    assertThat(moved.host()).isEqualTo("cn01");
    assertThat(moved.dashboardUrl()).contains("http://cn01:45919/status");
  }

  @Test
  void ipv6AndNoDashboard() {
    SchedulerFile file = new SchedulerFile("s", "tcp://[::1]:8786", OptionalInt.empty());

    assertThat(file.host()).isEqualTo("[::1]");
    assertThat(file.dashboardUrl()).isEmpty();
    assertThat(new SchedulerFile("s", "tcp://::1:8786", OptionalInt.of(1)).dashboardUrl())
        .contains("http://[::1]:1/status");
  }
}
