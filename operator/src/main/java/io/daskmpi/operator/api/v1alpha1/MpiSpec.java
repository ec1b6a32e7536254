package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** How srun wires the ranks together. */
public class MpiSpec {
  @Pattern("^[a-z0-9_]+$")
  @Default("pmi2")
  @JsonPropertyDescription(
      "srun --mpi plugin: pmi2, pmix, pmix_v4, none, or another plugin the site offers. The runtime needs none of them; pick what the image's MPI (if any) expects.")
  private String plugin = "pmi2";

  public String getPlugin() {
    return plugin;
  }

  public void setPlugin(String plugin) {
    this.plugin = plugin;
  }
}
