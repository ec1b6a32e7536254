package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.monitoring.OperatorMetrics;
import io.daskmpi.operator.status.JobEvents;
import io.daskmpi.operator.submit.JobIdentity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Kubernetes side: hands each DaskMpiJob to the {@link JobDriver}, patches the status when
 * it changed, records an event when the phase changed, and has {@link SlurmChangeEvents} wake it
 * when its Slurm job changes (with a backstop reschedule) while the job is not final. Deleting the
 * resource cancels its Slurm job (the finalizer comes with {@link Cleaner}).
 */
@ControllerConfiguration(name = "daskmpijob")
public final class DaskMpiJobReconciler implements Reconciler<DaskMpiJob>, Cleaner<DaskMpiJob> {
  private static final Logger LOG = LoggerFactory.getLogger(DaskMpiJobReconciler.class);
  private final JobDriver driver;
  private final JobEvents events;
  private final SlurmChangeEvents changes;
  private final Duration pollInterval;
  private final Duration backstop;
  private final OperatorMetrics metrics;

  /**
   * @param backstop when a followed job's resource is looked at even without a change (it keeps the
   *     job followed; the states forget a job nobody asked for in a resync interval)
   */
  public DaskMpiJobReconciler(
      JobDriver driver,
      JobEvents events,
      SlurmChangeEvents changes,
      Duration pollInterval,
      Duration backstop,
      OperatorMetrics metrics) {
    this.driver = driver;
    this.events = events;
    this.changes = changes;
    this.pollInterval = pollInterval;
    this.backstop = backstop;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, DaskMpiJob>> prepareEventSources(
      EventSourceContext<DaskMpiJob> context) {
    return List.of(changes);
  }

  @Override
  public UpdateControl<DaskMpiJob> reconcile(DaskMpiJob job, Context<DaskMpiJob> context) {
    DaskMpiJobStatus old = job.getStatus();
    // Followed before the look: a change a poll finds while this reconcile runs still wakes it.
    follow(job, old);
    DaskMpiJobStatus next =
        driver.reconcile(
            identity(job),
            job.getMetadata().getGeneration(),
            job.getSpec(),
            old,
            intentsOf(job, context));
    Phase oldPhase = old == null ? null : old.getPhase();
    if (next.getPhase() != oldPhase) {
      LOG.info(
          "{}/{}: {} -> {}: {}",
          job.getMetadata().getNamespace(),
          job.getMetadata().getName(),
          oldPhase,
          next.getPhase(),
          next.getMessage());
      events.phaseChanged(job, oldPhase, next.getPhase(), next.getMessage());
    }
    metrics.phase(key(job), next.getPhase());
    follow(job, next);
    UpdateControl<DaskMpiJob> control;
    if (sameStatus(old, next)) {
      control = UpdateControl.noUpdate();
    } else {
      job.setStatus(next);
      control = UpdateControl.patchStatus(job);
    }
    if (!next.getPhase().isFinal()) {
      Instant now = Instant.now();
      Duration delay = PollDelay.next(next, pollInterval, backstop, now);
      // A job that only sleeps wakes nothing in Slurm: the deadline must wake its resource.
      Duration toDeadline =
          Deadline.remaining(next, job.getSpec().getActiveDeadlineSeconds(), now)
              .map(d -> d.plusMillis(100))
              .orElse(delay);
      return control.rescheduleAfter(toDeadline.compareTo(delay) < 0 ? toDeadline : delay);
    }
    return expire(job, next, control, context);
  }

  /**
   * spec.ttlSecondsAfterFinished: deletes the finished resource once its time is up (its final
   * status written first), else looks again then.
   */
  private UpdateControl<DaskMpiJob> expire(
      DaskMpiJob job,
      DaskMpiJobStatus status,
      UpdateControl<DaskMpiJob> control,
      Context<DaskMpiJob> context) {
    var remaining =
        FinishedJobExpiry.remaining(
            status, job.getSpec().getTtlSecondsAfterFinished(), Instant.now());
    if (remaining.isEmpty()) {
      return control;
    }
    if (remaining.get().isZero() && !control.isPatchStatus()) {
      LOG.info(
          "{}/{}: deleted {} s after it finished (spec.ttlSecondsAfterFinished)",
          job.getMetadata().getNamespace(),
          job.getMetadata().getName(),
          job.getSpec().getTtlSecondsAfterFinished());
      context.getClient().resource(job).delete();
      return UpdateControl.noUpdate();
    }
    return control.rescheduleAfter(remaining.get().plusMillis(100));
  }

  private void follow(DaskMpiJob job, DaskMpiJobStatus status) {
    if (status == null) {
      return;
    }
    ResourceID resource = ResourceID.fromResource(job);
    SlurmJobStatus slurm = status.getSlurm();
    if ((status.getPhase() != null && status.getPhase().isFinal())
        || slurm == null
        || slurm.getJobId() == null
        || slurm.getCluster() == null) {
      changes.forget(resource);
    } else {
      changes.follow(resource, slurm.getCluster(), slurm.getJobId());
    }
  }

  @Override
  public DeleteControl cleanup(DaskMpiJob job, Context<DaskMpiJob> context) {
    Deletion deletion = driver.cancel(identity(job), job.getSpec(), job.getStatus());
    if (deletion instanceof Deletion.Blocked blocked) {
      // The finalizer keeps the resource until its Slurm job is known to be gone; no exception, so
      // this retries at the poll interval however long Slurm stays away.
      LOG.warn(
          "{}/{}: deleted, but its Slurm job cannot be cancelled yet: {}",
          job.getMetadata().getNamespace(),
          job.getMetadata().getName(),
          blocked.reason());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(pollInterval);
    }
    ((Deletion.Done) deletion)
        .cancelled()
        .forEach(
            id ->
                LOG.info(
                    "{}/{}: cancelled Slurm job {}",
                    job.getMetadata().getNamespace(),
                    job.getMetadata().getName(),
                    id));
    metrics.forget(key(job));
    changes.forget(ResourceID.fromResource(job));
    return DeleteControl.defaultDelete();
  }

  /**
   * Stores the intent with a replace of the status at the resource version this reconcile read: a
   * stale copy fails with 409 Conflict (JOSDK retries with the fresh one) instead of submitting a
   * job the fresh copy already names.
   */
  private static SubmitIntents intentsOf(DaskMpiJob job, Context<DaskMpiJob> context) {
    return status -> {
      job.setStatus(status);
      DaskMpiJob stored = context.getClient().resource(job).updateStatus();
      job.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
    };
  }

  private static String key(DaskMpiJob job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  static JobIdentity identity(DaskMpiJob job) {
    String created = job.getMetadata().getCreationTimestamp();
    return new JobIdentity(
        job.getMetadata().getNamespace(),
        job.getMetadata().getName(),
        job.getMetadata().getUid(),
        created == null ? Instant.EPOCH : Instant.parse(created));
  }

  private static boolean sameStatus(DaskMpiJobStatus a, DaskMpiJobStatus b) {
    return a != null && Objects.equals(Serialization.asJson(a), Serialization.asJson(b));
  }
}
