package io.daskmpi.operator.bench;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * From each DaskMpiJob's creation to the first status that names its Slurm job, as a watch of the
 * API server sees it: what a user waits for between {@code kubectl apply} and a job id.
 */
final class SubmitLatency implements AutoCloseable {
  private final Map<String, Long> created = new ConcurrentHashMap<>();
  private final Map<String, Long> submitted = new ConcurrentHashMap<>();
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();
  private final SharedIndexInformer<DaskMpiJob> informer;

  SubmitLatency(KubernetesClient client, String namespace) {
    informer =
        client
            .resources(DaskMpiJob.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(DaskMpiJob job) {
                    seen(job);
                  }

                  @Override
                  public void onUpdate(DaskMpiJob old, DaskMpiJob job) {
                    seen(job);
                  }

                  @Override
                  public void onDelete(DaskMpiJob job, boolean unknownState) {
                    phases.remove(job.getMetadata().getName());
                  }
                });
  }

  private void seen(DaskMpiJob job) {
    long now = System.nanoTime();
    String name = job.getMetadata().getName();
    var status = job.getStatus();
    if (status != null && status.getSlurm() != null && status.getSlurm().getJobId() != null) {
      submitted.putIfAbsent(name, now);
    }
    if (status != null && status.getPhase() != null) {
      phases.put(name, status.getPhase());
    }
  }

  /** Call right before the create request is sent. */
  void creating(String name) {
    created.put(name, System.nanoTime());
  }

  /** Waits until {@code count} resources name their Slurm job. */
  void awaitSubmitted(int count, Duration limit) throws InterruptedException, TimeoutException {
    awaitUntil(() -> submitted.size() >= count, limit, () -> submitted.size() + " of " + count);
  }

  /** Waits until {@code count} resources are in {@code phase}. */
  void awaitPhase(Phase phase, int count, Duration limit)
      throws InterruptedException, TimeoutException {
    awaitUntil(
        () -> inPhase(phase) >= count, limit, () -> inPhase(phase) + " of " + count + " " + phase);
  }

  /** Waits until the watch sees no resource left. */
  void awaitGone(Duration limit) throws InterruptedException, TimeoutException {
    awaitUntil(phases::isEmpty, limit, () -> phases.size() + " left");
  }

  private long inPhase(Phase phase) {
    return phases.values().stream().filter(p -> p == phase).count();
  }

  private static void awaitUntil(
      java.util.function.BooleanSupplier done,
      Duration limit,
      java.util.function.Supplier<String> where)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("after " + limit + ": " + where.get());
      }
      Thread.sleep(100); // polling the informer's own view, not waiting for time to pass
    }
  }

  /** The latencies in milliseconds, sorted. */
  List<Long> millis() {
    List<Long> out = new ArrayList<>();
    submitted.forEach(
        (name, at) -> {
          Long start = created.get(name);
          if (start != null) {
            out.add(Duration.ofNanos(at - start).toMillis());
          }
        });
    out.sort(null);
    return out;
  }

  /** The p-th percentile (nearest rank) of sorted values. */
  static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  @Override
  public void close() {
    informer.close();
  }
}
