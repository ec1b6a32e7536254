package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** How each rank is started: inside a Singularity or Apptainer image, or directly on the node. */
public class ContainerSpec {
  @Default("singularity")
  @JsonPropertyDescription(
      "Container runtime that starts each rank: singularity, apptainer, or none (the runtime command runs directly on the node).")
  private ContainerRuntime runtime = ContainerRuntime.SINGULARITY;

  @Size(max = 64)
  @ValidationRule(
      value = InputPolicy.BINDS_RULE,
      message = "spec.container.binds " + InputPolicy.PARENT_MESSAGE,
      reason = "FieldValueForbidden")
  @JsonPropertyDescription(
      "Host paths bound into the container (singularity/apptainer -B), as SRC or SRC:DEST[:ro]. The working directory is not bound automatically. No '..' segment; the endpoint may limit SRC to its allowed roots.")
  private List<@Size(max = 4096) String> binds = new ArrayList<>();

  @Size(max = 64)
  @ValidationRule(
      value = InputPolicy.OPTIONS_RULE,
      message = InputPolicy.OPTIONS_MESSAGE,
      reason = "FieldValueForbidden")
  @JsonPropertyDescription(
      "Extra options passed to `singularity run`/`apptainer run` before the image. Allowed: --nv, --nvccli, --rocm, --cleanenv, --contain, --containall, --no-home, --no-init, --no-privs, --no-umask, --writable-tmpfs, --compat.")
  private List<@Size(max = 64) String> options = new ArrayList<>();

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
