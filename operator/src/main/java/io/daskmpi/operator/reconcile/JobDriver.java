package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.SlurmConnection;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmJob;
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

  /**
   * Brings the status one step closer to Slurm's truth, submitting when nothing runs yet.
   *
   * @param intents stores the status with the intent to submit before a submit
   */
  public DaskMpiJobStatus reconcile(
      JobIdentity resource,
      Long generation,
      DaskMpiJobSpec spec,
      DaskMpiJobStatus status,
      SubmitIntents intents) {
    JobIdentity id = resource.withAttempt(status == null ? 1 : status.currentAttempt());
    String cluster = clusterOf(spec, status);
    Optional<EndpointConfig> endpoint = endpoints.config(cluster);
    List<SpecProblem> problems = problems(id, spec, endpoint);
    int dashboardPort =
        spec == null || spec.getDask() == null || spec.getDask().getDashboardPort() == null
            ? 0
            : spec.getDask().getDashboardPort();
    Long jobId = status == null || status.getSlurm() == null ? null : status.getSlurm().getJobId();
    boolean intended = status != null && status.getSubmitRequestedAt() != null;

    Optional<SlurmConnection> connection = endpoint.flatMap(e -> e.connection(id.namespace()));
    JobTracker tracker = null;
    Observation observation;
    if (status != null && status.getPhase() != null && status.getPhase().isFinal()) {
      observation = new Observation.NotSubmitted();
    } else if (endpoint.isEmpty()) {
      observation = new Observation.EndpointUnknown(cluster, endpoints.names());
    } else if (connection.isEmpty()) {
      // Before a submit the spec problem says so; a job submitted before the configuration
      // changed is left alone, and looked at again once the namespace has a user there again.
      observation =
          jobId == null && !intended
              ? new Observation.NotSubmitted()
              : new Observation.Unreachable("NamespaceNotAllowed", closed(cluster, id));
    } else {
      try {
        tracker = endpoints.tracker(connection.get());
        observation = tracker.observe(id, jobId, intended);
      } catch (SlurmException e) {
        endpoints.failed(connection.get(), tracker, e);
        observation = Observation.Unreachable.of(e);
      }
    }
    boolean requeue = spec != null && spec.getSlurm() != null && spec.getSlurm().requeues();
    var input =
        new JobStateMachine.Input(
            generation,
            status,
            problems,
            observation,
            cluster,
            dashboardPort,
            clock.instant(),
            requeue,
            problems.isEmpty() ? JobControls.of(spec) : JobControls.NONE);
    Decision decision = JobStateMachine.decide(input);
    return switch (decision.action()) {
      case NONE -> decision.status();
      case SUBMIT -> submit(id, spec, endpoint.orElseThrow(), tracker, input, decision, intents);
      case UPDATE, CANCEL -> change(tracker, connection.orElseThrow(), input, decision);
    };
  }

  /** Holds, releases, edits or cancels the Slurm job the status names, as the decision says. */
  private DaskMpiJobStatus change(
      JobTracker tracker,
      SlurmConnection connection,
      JobStateMachine.Input input,
      Decision decision) {
    long jobId = decision.status().getSlurm().getJobId();
    try {
      if (decision.action() == Decision.Action.CANCEL) {
        tracker.client().cancel(jobId);
      } else {
        tracker.client().update(jobId, decision.update());
      }
    } catch (SlurmException e) {
      tracker.invalidate(jobId);
      if (!(e instanceof SlurmException.Rejected)) {
        endpoints.failed(connection, tracker, e);
      }
      return QueueControl.notTaken(input, decision, e);
    }
    tracker.reread(jobId);
    return decision.status();
  }

  private DaskMpiJobStatus submit(
      JobIdentity resource,
      DaskMpiJobSpec spec,
      EndpointConfig endpoint,
      JobTracker tracker,
      JobStateMachine.Input input,
      Decision decision,
      SubmitIntents intents) {
    DaskMpiJobStatus current = input.current();
    int attempt = decision.status().currentAttempt();
    // A retry's intent is new even though the status holds the previous attempt's.
    boolean recorded =
        current != null
            && current.getSubmitRequestedAt() != null
            && current.currentAttempt() == attempt;
    JobIdentity id = resource.withAttempt(attempt);
    var submission = new JobRenderer(endpoint.renderSettings(id.namespace())).render(id, spec);
    if (!recorded) {
      intents.record(decision.status());
      input = input.with(decision.status());
    }
    try {
      SubmitResult result = tracker.client().submit(submission);
      tracker.submitted(id, result.jobId());
      return JobStateMachine.submitted(input, result.jobId(), result.warnings());
    } catch (SlurmException.Rejected e) {
      return JobStateMachine.rejected(input, e.getMessage());
    } catch (SlurmException e) {
      // Anything but a refusal leaves the outcome open: Slurm may have taken the job before the
      // answer was lost or garbled. The next reconcile asks Slurm for the tag before submitting.
      String message =
          "submit outcome unknown ("
              + e.getMessage()
              + "); the next look asks Slurm for the job by its tag";
      var unknown = new Observation.Unreachable("SubmitOutcomeUnknown", message);
      return JobStateMachine.decide(input.with(unknown)).status();
    }
  }

  /**
   * Cancels whatever of the resource still runs in Slurm: the job its status names, if that job
   * carries the resource's tag (job ids get reused), else every active job carrying the tag (the
   * status write after a submit may have been lost).
   */
  public Deletion cancel(JobIdentity resource, DaskMpiJobSpec spec, DaskMpiJobStatus status) {
    JobIdentity id = resource.withAttempt(status == null ? 1 : status.currentAttempt());
    Phase phase = status == null ? null : status.getPhase();
    if (phase != null && phase.isFinal() && phase != Phase.Unknown) {
      return new Deletion.Done(List.of());
    }
    String cluster = clusterOf(spec, status);
    Optional<EndpointConfig> endpoint = endpoints.config(cluster);
    if (endpoint.isEmpty()) {
      boolean submitted = status != null && status.getSlurm() != null;
      // Nothing is ever submitted to an endpoint the configuration lacks.
      return submitted
          ? new Deletion.Blocked(
              "its Slurm job was submitted to endpoint '"
                  + cluster
                  + "', which the operator's configuration no longer has (configured: "
                  + endpoints.names()
                  + ")")
          : new Deletion.Done(List.of());
    }
    Long jobId = status == null || status.getSlurm() == null ? null : status.getSlurm().getJobId();
    boolean intended = status != null && status.getSubmitRequestedAt() != null;
    Optional<SlurmConnection> connection = endpoint.get().connection(id.namespace());
    if (connection.isEmpty()) {
      return jobId == null && !intended
          ? new Deletion.Done(List.of())
          : new Deletion.Blocked(closed(cluster, id));
    }
    JobTracker tracker = null;
    try {
      tracker = endpoints.tracker(connection.get());
      List<Long> cancelled = new ArrayList<>();
      for (long active : activeJobsOf(tracker, id, jobId, intended)) {
        try {
          tracker.client().cancel(active);
          cancelled.add(active);
        } catch (SlurmException.NotFound e) {
          // ended and purged in between: nothing left to cancel
        } finally {
          tracker.invalidate(active);
        }
      }
      tracker.forget(id);
      return new Deletion.Done(cancelled);
    } catch (SlurmException e) {
      endpoints.failed(connection.get(), tracker, e);
      return new Deletion.Blocked(e.getMessage());
    }
  }

  /**
   * The resource's jobs that have not ended: the one its status (or this process's memory of its
   * submit) names, if that job carries the resource's tag (job ids get reused); without an id, the
   * ones carrying the tag when a submit was intended (its status write may have been lost), and
   * none when no submit ever was.
   */
  private static List<Long> activeJobsOf(
      JobTracker tracker, JobIdentity id, Long jobId, boolean intended) {
    Long named = jobId != null ? jobId : tracker.submittedId(id).orElse(null);
    if (named != null) {
      Optional<SlurmJob> job = tracker.client().get(named);
      boolean ours = job.isPresent() && tracker.owns(job.get(), id.tag());
      return ours && !job.get().isFinished() ? List.of(named) : List.of();
    }
    return intended ? tracker.activeByTag(id) : List.of();
  }

  /**
   * The spec's own problems, then whether the endpoint takes it: open to the namespace, the paths
   * inside its roots. Consulted only before a job exists, so a later configuration change never
   * fails a running job.
   */
  private static List<SpecProblem> problems(
      JobIdentity id, DaskMpiJobSpec spec, Optional<EndpointConfig> endpoint) {
    List<SpecProblem> problems = new ArrayList<>(SpecValidator.validate(spec));
    if (!problems.isEmpty() || endpoint.isEmpty()) {
      return problems;
    }
    if (!endpoint.get().admits(id.namespace())) {
      problems.add(
          new SpecProblem(
              "spec.cluster",
              "endpoint '"
                  + endpoint.get().name()
                  + "' is not open to namespace '"
                  + id.namespace()
                  + "'"));
      return problems;
    }
    problems.addAll(endpoint.get().roots(id.namespace()).check(spec));
    return problems;
  }

  private static String closed(String cluster, JobIdentity id) {
    return "endpoint '"
        + cluster
        + "' is not open to namespace '"
        + id.namespace()
        + "' (any longer): its Slurm job is neither followed nor cancelled until it is again";
  }

  /** The endpoint the job was submitted to wins over a spec edited since. */
  private static String clusterOf(DaskMpiJobSpec spec, DaskMpiJobStatus status) {
    if (status != null && status.getSlurm() != null && status.getSlurm().getCluster() != null) {
      return status.getSlurm().getCluster();
    }
    return spec == null || spec.getCluster() == null ? "default" : spec.getCluster();
  }
}
