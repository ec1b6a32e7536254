package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SubmitResult;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.submit.JobRenderer;
import io.daskmpi.operator.submit.SpecProblem;
import io.daskmpi.operator.submit.SpecValidator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One reconcile of one DaskMpiJob, without Kubernetes: observe, decide, act. The operator's
 * reconciler and the {@code run} command both drive jobs through this class.
 */
public final class JobDriver {
  private final SlurmEndpoints endpoints;
  private final Clock clock;

  public JobDriver(SlurmEndpoints endpoints, Clock clock) {
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /** Brings the status one step closer to Slurm's truth, submitting when nothing runs yet. */
  public DaskMpiJobStatus reconcile(
      JobIdentity id, Long generation, DaskMpiJobSpec spec, DaskMpiJobStatus status) {
    String cluster = clusterOf(spec, status);
    Optional<EndpointConfig> endpoint = endpoints.config(cluster);
    List<SpecProblem> problems = new ArrayList<>(SpecValidator.validate(spec));
    if (endpoint.isEmpty()) {
      problems.add(
          new SpecProblem(
              "spec.cluster",
              "no Slurm endpoint named '" + cluster + "' (configured: " + endpoints.names() + ")"));
    }
    int dashboardPort =
        spec == null || spec.getDask() == null || spec.getDask().getDashboardPort() == null
            ? 0
            : spec.getDask().getDashboardPort();
    Long jobId = status == null || status.getSlurm() == null ? null : status.getSlurm().getJobId();

    JobTracker tracker = null;
    Observation observation;
    if (endpoint.isEmpty()
        || (status != null && status.getPhase() != null && status.getPhase().isFinal())) {
      observation = new Observation.NotSubmitted();
    } else {
      try {
        tracker = endpoints.tracker(endpoint.get());
        observation = tracker.observe(id.tag(), jobId);
      } catch (SlurmException e) {
        observation = new Observation.Unreachable(e.getMessage());
      }
    }
    var input =
        new JobStateMachine.Input(
            generation, status, problems, observation, cluster, dashboardPort, clock.instant());
    Decision decision = JobStateMachine.decide(input);
    if (decision.action() != Decision.Action.SUBMIT) {
      return decision.status();
    }
    try {
      var submission = new JobRenderer(endpoint.orElseThrow().renderSettings()).render(id, spec);
      SubmitResult result = tracker.client().submit(submission);
      tracker.invalidate(result.jobId());
      return JobStateMachine.submitted(input, result.jobId(), result.warnings());
    } catch (SlurmException e) {
      if (e.isRetriable() || e instanceof SlurmException.Auth) {
        return JobStateMachine.decide(
                withObservation(input, new Observation.Unreachable(e.getMessage())))
            .status();
      }
      return JobStateMachine.rejected(input, e.getMessage());
    }
  }

  /**
   * Cancels the Slurm job of a status that names one and has not ended. A job Slurm no longer knows
   * is already gone, which is what a cancel wants.
   *
   * @return the cancelled job's id, if one was cancelled
   * @throws SlurmException when Slurm cannot be reached (retry later)
   */
  public Optional<Long> cancel(DaskMpiJobSpec spec, DaskMpiJobStatus status) {
    if (status == null || status.getSlurm() == null || status.getSlurm().getJobId() == null) {
      return Optional.empty();
    }
    if (status.getPhase() != null
        && status.getPhase().isFinal()
        && status.getPhase() != Phase.Unknown) {
      return Optional.empty();
    }
    Optional<EndpointConfig> endpoint = endpoints.config(clusterOf(spec, status));
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    long jobId = status.getSlurm().getJobId();
    JobTracker tracker = endpoints.tracker(endpoint.get());
    try {
      tracker.client().cancel(jobId);
    } catch (SlurmException.NotFound e) {
      return Optional.empty();
    } finally {
      tracker.invalidate(jobId);
    }
    return Optional.of(jobId);
  }

  /** The endpoint the job was submitted to wins over a spec edited since. */
  private static String clusterOf(DaskMpiJobSpec spec, DaskMpiJobStatus status) {
    if (status != null && status.getSlurm() != null && status.getSlurm().getCluster() != null) {
      return status.getSlurm().getCluster();
    }
    return spec == null || spec.getCluster() == null ? "default" : spec.getCluster();
  }

  private static JobStateMachine.Input withObservation(JobStateMachine.Input in, Observation o) {
    return new JobStateMachine.Input(
        in.generation(),
        in.current(),
        in.specProblems(),
        o,
        in.cluster(),
        in.dashboardPort(),
        in.now());
  }
}
