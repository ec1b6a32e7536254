package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Dask program run as one Slurm job: scheduler, client and workers as ranks of one srun. */
@Group(DaskMpiJob.GROUP)
@Version(DaskMpiJob.VERSION)
@Kind("DaskMpiJob")
@Plural("daskmpijobs")
@Singular("daskmpijob")
@ShortNames({"dmj", "daskjob"})
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Slurm Job",
    jsonPath = ".status.slurm.jobId",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "State",
    jsonPath = ".status.slurm.state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Attempt",
    jsonPath = ".status.attempt",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DaskMpiJob extends CustomResource<DaskMpiJobSpec, DaskMpiJobStatus>
    implements Namespaced {
  public static final String GROUP = "daskmpi.io";
  public static final String VERSION = "v1alpha1";

  @Override
  @JsonPropertyDescription(
      "What to run: the Dask client script, its image and the Slurm job's shape. Owned by the user; the operator never writes it.")
  public DaskMpiJobSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed: phase, Slurm job, conditions. Written by the operator only, through the status subresource.")
  public DaskMpiJobStatus getStatus() {
    return super.getStatus();
  }
}
