package io.daskmpi.operator.status;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events for a DaskMpiJob: one per phase change, never one per poll. */
public final class JobEvents {
  private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
  private final KubernetesClient client;
  private final Clock clock;
  private final Consumer<String> warn;
  private final AtomicBoolean missingApiReported = new AtomicBoolean();

  public JobEvents(KubernetesClient client, Clock clock) {
    this(client, clock, LOG::warn);
  }

  JobEvents(KubernetesClient client, Clock clock, Consumer<String> warn) {
    this.client = client;
    this.clock = clock;
    this.warn = warn;
  }

  public void phaseChanged(DaskMpiJob job, Phase from, Phase to, String message) {
    boolean warning = to == Phase.Failed || to == Phase.Unknown;
    String now = clock.instant().toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(eventName(job, from, to))
            .withNamespace(job.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(job.getApiVersion())
                    .withKind(job.getKind())
                    .withName(job.getMetadata().getName())
                    .withNamespace(job.getMetadata().getNamespace())
                    .withUid(job.getMetadata().getUid())
                    .build())
            .withType(warning ? "Warning" : "Normal")
            .withReason(to.name())
            .withMessage(
                (from == null ? "" : from + " -> " + to + ": ") + (message == null ? "" : message))
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent("dask-mpi-operator")
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // Events are a courtesy: the status already says it; never fail a reconcile over one.
      reportFailure(job, e);
    }
  }

  /**
   * One name per resource and transition: the reconcile that sent an event may be repeated when its
   * status write fails (events go out before JOSDK patches the status), and the repeat then meets
   * 409 AlreadyExists instead of recording the same transition twice.
   */
  static String eventName(DaskMpiJob job, Phase from, Phase to) {
    String uid = job.getMetadata().getUid() == null ? "" : job.getMetadata().getUid();
    return job.getMetadata().getName()
        + "."
        + uid.substring(0, Math.min(8, uid.length()))
        + "."
        + (from == null ? "new" : from.name().toLowerCase(java.util.Locale.ROOT))
        + "-"
        + to.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * An API server without core/v1 Events (a standalone CRD server) answers 404 to every event: that
   * is said once, not once per phase change; any other failure is said each time.
   */
  private void reportFailure(DaskMpiJob job, KubernetesClientException e) {
    if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
      LOG.debug("event for {} already recorded", job.getMetadata().getName());
      return;
    }
    if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
      if (missingApiReported.compareAndSet(false, true)) {
        warn.accept(
            "the API server has no core/v1 Events (404): events are not recorded; the status"
                + " carries the same facts");
      } else {
        LOG.debug("event for {} not recorded: 404", job.getMetadata().getName());
      }
      return;
    }
    warn.accept(
        "cannot record event for "
            + job.getMetadata().getNamespace()
            + "/"
            + job.getMetadata().getName()
            + ": "
            + e.getMessage());
  }
}
