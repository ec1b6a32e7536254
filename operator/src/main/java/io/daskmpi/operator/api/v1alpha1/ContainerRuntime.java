package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What starts each rank. */
public enum ContainerRuntime {
  @JsonProperty("singularity")
  SINGULARITY,
  @JsonProperty("apptainer")
  APPTAINER,
  @JsonProperty("none")
  NONE
}
