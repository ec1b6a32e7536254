package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An environment variable of the job's ranks. */
@ValidationRule(
    value = InputPolicy.ENV_RULE,
    messageExpression = "\"spec.env name \" + self.name + \" " + InputPolicy.ENV_MESSAGE + "\"",
    reason = "FieldValueForbidden",
    fieldPath = ".name")
public class EnvVar {
  @Required
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  @Size(max = 255)
  @JsonPropertyDescription(
      "Variable name: letters, digits and underscores, not starting with a digit. Names the launcher, Slurm, MPI, the container runtime or Python read before the job's code runs are refused: LD_*, BASH_ENV, ENV, BASHOPTS, SHELLOPTS, IFS, PS4, PROMPT_COMMAND, PATH, SLURM_*, SBATCH_*, SRUN_*, SALLOC_*, PMI_*, PMIX_*, OMPI_*, SINGULARITY*, APPTAINER* and PYTHON* except PYTHONUNBUFFERED, PYTHONHASHSEED, PYTHONWARNINGS, PYTHONFAULTHANDLER, PYTHONDONTWRITEBYTECODE and PYTHONIOENCODING.")
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
