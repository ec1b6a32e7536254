package io.daskmpi.operator.testing;

import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.reconcile.JobDriver;
import io.daskmpi.operator.reconcile.SubmitIntents;
import io.daskmpi.operator.submit.JobIdentity;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One DaskMpiJob driven by the operator's reconcile logic without Kubernetes, as the reconciler
 * would: its status carried from one reconcile to the next, its generation raised by each edit.
 */
public final class DrivenResource {
  private static final Duration LIMIT = Duration.ofMinutes(4);

  private final JobDriver driver;
  private final JobIdentity id;
  private final DaskMpiJobSpec spec;
  private long generation = 1;
  private DaskMpiJobStatus status;

  public DrivenResource(JobDriver driver, JobIdentity id, DaskMpiJobSpec spec) {
    this.driver = driver;
    this.id = id;
    this.spec = spec;
  }

  public JobIdentity id() {
    return id;
  }

  public DaskMpiJobSpec spec() {
    return spec;
  }

  public long generation() {
    return generation;
  }

  public DaskMpiJobStatus status() {
    return status;
  }

  /** Changes the spec as a user's edit would: a new generation. */
  public void edit(Runnable change) {
    change.run();
    generation++;
  }

  public DaskMpiJobStatus reconcile() {
    status = driver.reconcile(id, generation, spec, status, SubmitIntents.IN_MEMORY);
    return status;
  }

  /** Reconciles every 200 ms until DONE holds or the phase is final; the last status. */
  public DaskMpiJobStatus until(Predicate<DaskMpiJobStatus> done) {
    await()
        .atMost(LIMIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> done.test(reconcile()) || status.getPhase().isFinal());
    return status;
  }

  /** Reconciles until the phase is final. */
  public DaskMpiJobStatus untilFinal() {
    return until(s -> false);
  }

  /** {@link #until} one of PHASES (or a final phase). */
  public DaskMpiJobStatus untilPhase(Phase... phases) {
    Set<Phase> wanted = Set.of(phases);
    return until(s -> wanted.contains(s.getPhase()));
  }
}
