package io.daskmpi.operator.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.access.JobRoute.View;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobRouteTest {
  @ParameterizedTest
  @CsvSource({
    "/v1/namespaces/team-a/daskmpijobs/dask-sum/log, team-a, dask-sum, LOG",
    "/v1/namespaces/a/daskmpijobs/b.c/dashboard, a, b.c, DASHBOARD",
  })
  void aJobsViewIsItsNamespaceNameAndSubresource(
      String path, String namespace, String name, View view) {
    assertThat(JobRoute.parse(path)).contains(new JobRoute(namespace, name, view));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/namespaces/team-a/daskmpijobs/dask-sum",
        "/v1/namespaces/team-a/daskmpijobs/dask-sum/status",
        "/v1/namespaces/Team/daskmpijobs/x/log",
        "/v1/namespaces/a/daskmpijobs/../log",
        "/v1/namespaces/a/daskmpijobs/x/log/",
        "/v1/namespaces/a/daskmpijobs/x%2Fy/log",
        "/v2/namespaces/a/daskmpijobs/x/log",
        "/"
      })
  void anythingElseIsNoRoute(String path) {
    assertThat(JobRoute.parse(path)).isEmpty();
  }
}
