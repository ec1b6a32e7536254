package io.daskmpi.operator.monitoring;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ClusterInfo;
import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.SubmitResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** A {@link SlurmClient} that records every request's latency and outcome for one endpoint. */
public final class MeteredSlurmClient implements SlurmClient {
  private final SlurmClient delegate;
  private final String endpoint;
  private final OperatorMetrics metrics;

  public MeteredSlurmClient(SlurmClient delegate, String endpoint, OperatorMetrics metrics) {
    this.delegate = delegate;
    this.endpoint = endpoint;
    this.metrics = metrics;
  }

  @Override
  public ApiVersion apiVersion() {
    return delegate.apiVersion();
  }

  @Override
  public ClusterInfo ping() {
    return timed("ping", delegate::ping);
  }

  @Override
  public void checkAccess() {
    timed(
        "check_access",
        () -> {
          delegate.checkAccess();
          return null;
        });
  }

  @Override
  public SubmitResult submit(JobSubmission submission) {
    SubmitResult result = timed("submit", () -> delegate.submit(submission));
    metrics.submitted(endpoint);
    return result;
  }

  @Override
  public Optional<SlurmJob> get(long jobId) {
    return timed("get", () -> delegate.get(jobId));
  }

  @Override
  public JobListing listChangedSince(Instant since) {
    return timed("list", () -> delegate.listChangedSince(since));
  }

  @Override
  public List<SlurmJob> findByTags(Set<String> tags) {
    return timed("find_by_tag", () -> delegate.findByTags(tags));
  }

  @Override
  public boolean hasStateQuery() {
    return delegate.hasStateQuery();
  }

  @Override
  public Map<Long, List<String>> states(Collection<Long> jobIds) {
    return timed("states", () -> delegate.states(jobIds));
  }

  @Override
  public boolean hasHistory() {
    return delegate.hasHistory();
  }

  @Override
  public Optional<SlurmJob> history(long jobId, String tag) {
    return timed("history", () -> delegate.history(jobId, tag));
  }

  @Override
  public List<SlurmJob> historyByTag(String tag, String name, Instant since) {
    return timed("history_by_tag", () -> delegate.historyByTag(tag, name, since));
  }

  @Override
  public void update(long jobId, JobUpdate update) {
    timed(
        "update",
        () -> {
          delegate.update(jobId, update);
          return null;
        });
  }

  @Override
  public void cancel(long jobId) {
    timed(
        "cancel",
        () -> {
          delegate.cancel(jobId);
          return null;
        });
    metrics.cancelled(endpoint);
  }

  private <T> T timed(String operation, Supplier<T> call) {
    long start = System.nanoTime();
    String error = null;
    try {
      return call.get();
    } catch (SlurmException e) {
      error = e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
      throw e;
    } finally {
      metrics.request(
          endpoint,
          delegate.apiVersion().label(),
          operation,
          Duration.ofNanos(System.nanoTime() - start),
          error);
    }
  }
}
