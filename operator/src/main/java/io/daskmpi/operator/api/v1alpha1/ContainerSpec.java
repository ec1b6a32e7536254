package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** How each rank is started: inside a Singularity or Apptainer image, or directly on the node. */
public class ContainerSpec {
  @Default("singularity")
  @JsonPropertyDescription(
      "Container runtime that starts each rank: singularity, apptainer, or none (the runtime command runs directly on the node).")
  private ContainerRuntime runtime = ContainerRuntime.SINGULARITY;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Host paths bound into the container (singularity/apptainer -B), as SRC or SRC:DEST[:ro]. The working directory is not bound automatically.")
  private List<String> binds = new ArrayList<>();

  @Size(max = 64)
  @JsonPropertyDescription(
      "Extra options passed to `singularity run`/`apptainer run` before the image, e.g. --nv or --cleanenv.")
  private List<String> options = new ArrayList<>();

  public ContainerRuntime getRuntime() {
    return runtime;
  }

  public void setRuntime(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  public List<String> getBinds() {
    return binds;
  }

  public void setBinds(List<String> binds) {
    this.binds = binds;
  }

  public List<String> getOptions() {
    return options;
  }

  public void setOptions(List<String> options) {
    this.options = options;
  }
}
