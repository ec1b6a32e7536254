package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the reconciles of the resources whose Slurm jobs changed. Once per poll interval it polls
 * every connected endpoint (one {@code jobs/state} query for the jobs followed there) and fires an
 * event for each resource whose job changed; a resource whose job did not change is not reconciled,
 * so an unchanged job costs one id in one query, not a reconcile with its clone and comparisons.
 *
 * <p>When an endpoint's poll fails, every resource followed there is woken once, to record that
 * Slurm is away (its reconciles then back off); when polls succeed again, once more.
 */
public final class SlurmChangeEvents extends AbstractEventSource<Void, DaskMpiJob> {
  private static final Logger LOG = LoggerFactory.getLogger(SlurmChangeEvents.class);

  private final SlurmEndpoints endpoints;
  private final Duration pollInterval;
  private final Map<EndpointJob, ResourceID> owners = new ConcurrentHashMap<>();
  private final Map<ResourceID, EndpointJob> jobs = new ConcurrentHashMap<>();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Map<String, JobTracker> polled = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  /** A job on one connection ({@link io.daskmpi.operator.config.SlurmConnection#key()}). */
  private record EndpointJob(String endpoint, long jobId) {}

  public SlurmChangeEvents(SlurmEndpoints endpoints, Duration pollInterval) {
    super(Void.class, "slurm-changes");
    this.endpoints = endpoints;
    this.pollInterval = pollInterval;
  }

  /**
   * The resource's job is followed on endpoint {@code cluster}, through the connection of the
   * resource's namespace: wake the resource when it changes.
   */
  public void follow(ResourceID resource, String cluster, long jobId) {
    String namespace = resource.getNamespace().orElse("");
    EndpointJob job =
        new EndpointJob(endpoints.connectionKey(cluster, namespace).orElse(cluster), jobId);
    EndpointJob previous = jobs.put(resource, job);
    if (previous != null && !previous.equals(job)) {
      owners.remove(previous, resource);
    }
    owners.put(job, resource);
  }

  /** The resource needs no more waking (its job ended, or the resource is gone). */
  public void forget(ResourceID resource) {
    EndpointJob job = jobs.remove(resource);
    if (job != null) {
      owners.remove(job, resource);
    }
  }

  /** How many resources are followed (for tests). */
  int size() {
    return jobs.size();
  }

  /** One round: polls each connected endpoint and wakes the resources whose jobs changed. */
  void pollOnce() {
    endpoints
        .connected()
        .forEach(
            (endpoint, tracker) -> {
              JobTracker before = polled.put(endpoint, tracker);
              if (before != null && before != tracker) {
                // Connected anew (REST version renegotiated): it follows nothing yet.
                wakeAll(endpoint);
              }
              poll(endpoint, tracker);
            });
  }

  private void poll(String endpoint, JobTracker tracker) {
    Set<Long> changed;
    try {
      changed = tracker.poll();
    } catch (RuntimeException e) { // SlurmException, or a bug: the other endpoints go on
      if (failing.add(endpoint)) {
        LOG.debug("endpoint {}: poll failed, waking its resources: {}", endpoint, e.getMessage());
        wakeAll(endpoint);
      }
      return;
    }
    if (failing.remove(endpoint)) {
      wakeAll(endpoint);
      return;
    }
    for (long id : changed) {
      ResourceID resource = owners.get(new EndpointJob(endpoint, id));
      if (resource != null) {
        wake(resource);
      }
    }
  }

  private void wakeAll(String endpoint) {
    owners.forEach(
        (job, resource) -> {
          if (job.endpoint().equals(endpoint)) {
            wake(resource);
          }
        });
  }

  private void wake(ResourceID resource) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(resource));
    }
  }

  @Override
  public Set<Void> getSecondaryResources(DaskMpiJob primary) {
    return Set.of();
  }

  @Override
  public synchronized void start() {
    super.start();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "slurm-changes");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(1, pollInterval.toMillis());
    timer.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
  }

  /** An exception escaping a scheduled task would end the schedule. */
  private void pollSafely() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      LOG.warn("polling Slurm for changes failed", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
    super.stop();
  }
}
