package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Options of the Dask scheduler and workers. */
public class DaskOptions {
  @Min(1)
  @Max(1024)
  @Default("1")
  @JsonPropertyDescription("Threads per Dask worker.")
  private Integer threadsPerWorker = 1;

  @Pattern("^(auto|[0-9]+(\\.[0-9]+)?\\s*([kKMGT]i?B?|B)?)$")
  @Default("auto")
  @JsonPropertyDescription(
      "Memory limit per worker: 'auto', '0' (none), bytes, or a size such as 4GB or 4GiB.")
  private String memoryLimit = "auto";

  @Min(0)
  @Max(65535)
  @Default("8787")
  @JsonPropertyDescription(
      "Port of the scheduler's dashboard on the batch host; 0 picks a free one.")
  private Integer dashboardPort = 8787;

  public Integer getThreadsPerWorker() {
    return threadsPerWorker;
  }

  public void setThreadsPerWorker(Integer threadsPerWorker) {
    this.threadsPerWorker = threadsPerWorker;
  }

  public String getMemoryLimit() {
    return memoryLimit;
  }

  public void setMemoryLimit(String memoryLimit) {
    this.memoryLimit = memoryLimit;
  }

  public Integer getDashboardPort() {
    return dashboardPort;
  }

  public void setDashboardPort(Integer dashboardPort) {
    this.dashboardPort = dashboardPort;
  }
}
