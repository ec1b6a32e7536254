package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobAttempt;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.status.Conditions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds the next status from the old one; one instance per decision. */
final class StatusBuilder {
  private final JobStateMachine.Input in;
  private final Conditions conditions;
  private SlurmJobStatus slurm;
  private String dashboardUrl;
  private String submitRequestedAt;

  private Long observedGeneration;
  private String fixedSpecDigest;
  private Integer attempt;
  private final List<JobAttempt> attempts;
  private final String completionTime;

  StatusBuilder(DaskMpiJobStatus old, JobStateMachine.Input in) {
    this.in = in;
    this.observedGeneration = observedGeneration(old, in.generation());
    this.conditions = new Conditions(old.getConditions(), in.now(), observedGeneration);
    this.slurm = old.getSlurm();
    this.dashboardUrl = old.getDashboardURL();
    this.submitRequestedAt = old.getSubmitRequestedAt();
    this.fixedSpecDigest = old.getFixedSpecDigest();
    this.attempt = old.getAttempt();
    this.completionTime = old.getCompletionTime();
    this.attempts = new ArrayList<>(old.getAttempts() == null ? List.of() : old.getAttempts());
  }

  /**
   * The previous attempt ended in a retryable way: the next one starts with its own intent to
   * submit (so its tag is looked up, not the previous one's, if the answer is lost).
   */
  StatusBuilder retry(int next) {
    attempt = next;
    slurm = null;
    dashboardUrl = null;
    submitRequestedAt = in.now().toString();
    fixedSpecDigest = in.controls().fixedDigest();
    conditions.set(Conditions.RUNNING, false, "Retrying", "attempt " + next);
    return this;
  }

  StatusBuilder changedAfterSubmit() {
    conditions.set(
        Conditions.SPEC_APPLIED,
        false,
        "ChangedAfterSubmit",
        "the spec changed (generation "
            + in.generation()
            + ") after the Slurm job was submitted with generation "
            + observedGeneration
            + ", in a field other than "
            + String.join(", ", SubmittedSpec.CHANGEABLE)
            + "; a submitted Slurm job keeps the rest of its spec: delete and re-create the"
            + " resource to run the new one",
        in.generation());
    return this;
  }

  /** The newest spec is the one the Slurm job has now: it becomes the observed generation. */
  StatusBuilder applied(String what) {
    observedGeneration = in.generation();
    conditions.set(Conditions.SPEC_APPLIED, true, "Applied", what, in.generation());
    return this;
  }

  StatusBuilder notApplied(String reason, String message) {
    conditions.set(Conditions.SPEC_APPLIED, false, reason, message, in.generation());
    return this;
  }

  StatusBuilder suspended(boolean value, String reason, String message) {
    conditions.set(Conditions.SUSPENDED, value, reason, message);
    return this;
  }

  /** Not (or no longer) suspended by spec.suspend; no condition where there never was one. */
  StatusBuilder resumed() {
    if (conditions.get(Conditions.SUSPENDED).isPresent()) {
      conditions.set(Conditions.SUSPENDED, false, JobStateMachine.RESUMED, "spec.suspend is false");
    }
    return this;
  }

  /**
   * Once a Slurm job exists, the generation it was submitted with stays the observed one: later
   * edits are not applied to it, and claiming them observed would tell kstatus and Argo CD that the
   * new spec runs.
   */
  private static Long observedGeneration(DaskMpiJobStatus old, Long generation) {
    return JobStateMachine.hasJob(old) && old.getObservedGeneration() != null
        ? old.getObservedGeneration()
        : generation;
  }

  StatusBuilder submitIntended() {
    if (submitRequestedAt == null) {
      submitRequestedAt = in.now().toString();
    }
    if (attempt == null) {
      attempt = 1;
    }
    fixedSpecDigest = in.controls().fixedDigest();
    return this;
  }

  StatusBuilder reachable() {
    conditions.set(Conditions.SLURM_REACHABLE, true, "Reachable", "slurmrestd answered");
    return this;
  }

  StatusBuilder unreachable(String reason, String message) {
    conditions.set(Conditions.SLURM_REACHABLE, false, reason, message);
    return this;
  }

  StatusBuilder submittedAs(long jobId) {
    slurm = new SlurmJobStatus();
    slurm.setCluster(in.cluster());
    slurm.setJobId(jobId);
    conditions.set(Conditions.SUBMITTED, true, "Submitted", "Slurm job " + jobId);
    recordAttempt(slurm);
    return this;
  }

  StatusBuilder job(SlurmJob job) {
    SlurmJobStatus s = new SlurmJobStatus();
    s.setCluster(in.cluster());
    s.setJobId(job.id());
    s.setState(job.state() + (job.flags().isEmpty() ? "" : "+" + String.join("+", job.flags())));
    s.setReason(job.reason());
    s.setNodes(job.nodes());
    s.setBatchHost(job.batchHost());
    s.setSubmitTime(job.submitTime() == null ? null : job.submitTime().toString());
    s.setStartTime(job.startTime() == null ? null : job.startTime().toString());
    s.setEndTime(job.endTime() == null ? null : job.endTime().toString());
    if (job.exit() != null) {
      s.setExitCode(job.exit().code());
      s.setSignal(job.exit().signal());
    }
    s.setOutputFile(job.standardOutput().isEmpty() ? null : job.standardOutput());
    slurm = s;
    conditions.set(Conditions.SUBMITTED, true, "Submitted", "Slurm job " + job.id());
    recordAttempt(s);
    return this;
  }

  /** The current attempt's entry in status.attempts, as its Slurm job was last seen. */
  private void recordAttempt(SlurmJobStatus s) {
    int n = attempt == null ? 1 : attempt;
    JobAttempt a = new JobAttempt();
    a.setAttempt(n);
    a.setJobId(s.getJobId());
    a.setState(s.getState());
    a.setExitCode(s.getExitCode());
    a.setSubmitTime(s.getSubmitTime());
    a.setStartTime(s.getStartTime());
    a.setEndTime(s.getEndTime());
    attempts.removeIf(e -> e.getAttempt() != null && e.getAttempt() == n);
    attempts.add(a);
    attempts.sort(Comparator.comparing(JobAttempt::getAttempt));
  }

  StatusBuilder forPhase(Phase phase, SlurmJob job) {
    boolean running = phase == Phase.Running;
    conditions.set(
        Conditions.RUNNING,
        running,
        running ? "Running" : phase.name(),
        running ? "on " + job.nodes() : "");
    dashboardUrl =
        running && !job.batchHost().isEmpty() && in.dashboardPort() > 0
            ? "http://" + job.batchHost() + ":" + in.dashboardPort() + "/status"
            : null;
    if (phase == Phase.Succeeded) {
      conditions.set(Conditions.SUCCEEDED, true, "Completed", "exit code 0");
    } else if (phase.isFinal()) {
      failed(job.state().name(), JobStateMachine.messageOf(job, phase));
    }
    return this;
  }

  StatusBuilder failed(String reason, String message) {
    conditions.set(Conditions.FAILED, true, reason, message);
    conditions.set(Conditions.RUNNING, false, reason, "");
    dashboardUrl = null;
    return this;
  }

  DaskMpiJobStatus build(Phase phase, String message) {
    DaskMpiJobStatus s = new DaskMpiJobStatus();
    s.setPhase(phase);
    s.setObservedGeneration(observedGeneration);
    s.setSlurm(slurm);
    s.setDashboardURL(phase.isFinal() ? null : dashboardUrl);
    s.setMessage(message);
    s.setSubmitRequestedAt(submitRequestedAt);
    s.setFixedSpecDigest(fixedSpecDigest);
    s.setAttempt(attempt);
    s.setCompletionTime(
        !phase.isFinal() ? null : completionTime != null ? completionTime : in.now().toString());
    s.setAttempts(List.copyOf(attempts));
    boolean ready = phase == Phase.Succeeded;
    conditions.set(
        Conditions.READY,
        ready,
        phase.name(),
        ready ? "finished successfully" : readyMessage(phase));
    // kstatus (Flux) reads Reconciling and Stalled: in progress until final, failed when it
    // ended without success. Argo CD reads the phase through its health check.
    conditions.set(
        Conditions.RECONCILING,
        !phase.isFinal(),
        phase.name(),
        phase.isFinal() ? "" : "the job has not ended");
    boolean stalled = phase.isFinal() && !ready;
    conditions.set(Conditions.STALLED, stalled, phase.name(), stalled ? message : "");
    s.setConditions(conditions.list());
    return s;
  }

  private static String readyMessage(Phase phase) {
    return phase.isFinal() ? "finished without success" : "in progress";
  }
}
