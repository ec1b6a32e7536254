package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An environment variable of the job's ranks. */
public class EnvVar {
  @Required
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  @Size(max = 255)
  @JsonPropertyDescription(
      "Variable name: letters, digits and underscores, not starting with a digit.")
  private String name;

  @Size(max = 32768)
  @JsonPropertyDescription("Variable value, passed literally (never evaluated by a shell).")
  private String value;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }
}
