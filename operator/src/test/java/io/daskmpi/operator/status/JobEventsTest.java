package io.daskmpi.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events against an API server that lacks them, or that fails otherwise. */
class JobEventsTest {
  private static final String EVENTS = "/api/v1/namespaces/team/events";

  @RegisterExtension final MockApiServer api = MockApiServer.expectationsOnly();
  private KubernetesMockServer server;
  private KubernetesClient client;

  private final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void connect() {
    server = api.server();
    client = api.client();
  }

  private static DaskMpiJob job(String name) {
    DaskMpiJob job = new DaskMpiJob();
    job.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("team")
            .withUid("0123456789abcdef")
            .build());
    return job;
  }

  private void fourPhaseChanges(JobEvents events) {
    events.phaseChanged(job("a"), null, Phase.Submitted, "submitted");
    events.phaseChanged(job("a"), Phase.Submitted, Phase.Running, "running");
    events.phaseChanged(job("b"), null, Phase.Submitted, "submitted");
    events.phaseChanged(job("b"), Phase.Submitted, Phase.Failed, "exit 1");
  }

  @Test
  void noEventsApiIsReportedOnceForAllEvents() {
    server.expect().post().withPath(EVENTS).andReturn(404, "").always();
    fourPhaseChanges(new JobEvents(client, Clock.systemUTC(), warnings::add));
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("no core/v1 Events");
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void otherFailuresAreReportedEachTimeAndNeverThrown() {
    server.expect().post().withPath(EVENTS).andReturn(403, "").always();
    fourPhaseChanges(new JobEvents(client, Clock.systemUTC(), warnings::add));
    assertThat(warnings).hasSize(4).allMatch(w -> w.startsWith("cannot record event for team/"));
  }

  @Test
  void aTransitionRepeatedAfterALostStatusWriteIsRecordedOnce() throws Exception {
    server.expect().post().withPath(EVENTS).andReturn(201, "{}").once();
    server.expect().post().withPath(EVENTS).andReturn(409, "").always();
    JobEvents events = new JobEvents(client, Clock.systemUTC(), warnings::add);
    events.phaseChanged(job("a"), Phase.Queued, Phase.Running, "running");
    String first = server.takeRequest().getBody().readUtf8();
    events.phaseChanged(job("a"), Phase.Queued, Phase.Running, "running");
    String second = server.takeRequest().getBody().readUtf8();
    assertThat(first).contains("\"name\":\"a.01234567.queued-running\"");
    assertThat(second).contains("\"name\":\"a.01234567.queued-running\"");
    assertThat(warnings).isEmpty();
  }

  @Test
  void recordedEventsWarnNothing() {
    server.expect().post().withPath(EVENTS).andReturn(201, "{}").always();
    fourPhaseChanges(new JobEvents(client, Clock.systemUTC(), warnings::add));
    assertThat(warnings).isEmpty();
  }
}
