package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Resources of each rank. */
public class ResourcesSpec {
  @Min(1)
  @Max(1024)
  @Default("1")
  @JsonPropertyDescription("CPUs per rank (Slurm --cpus-per-task).")
  private Integer cpusPerRank = 1;

  @Pattern("^([0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T|k)?)?$")
  @JsonPropertyDescription(
      "Memory per CPU as a Kubernetes quantity (e.g. 1Gi, 512Mi) or Slurm form (e.g. 1G); empty for the partition's default.")
  private String memoryPerCpu;

  public Integer getCpusPerRank() {
    return cpusPerRank;
  }

  public void setCpusPerRank(Integer cpusPerRank) {
    this.cpusPerRank = cpusPerRank;
  }

  public String getMemoryPerCpu() {
    return memoryPerCpu;
  }

  public void setMemoryPerCpu(String memoryPerCpu) {
    this.memoryPerCpu = memoryPerCpu;
  }
}
