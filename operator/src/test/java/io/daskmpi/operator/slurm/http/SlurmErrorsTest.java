package io.daskmpi.operator.slurm.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.slurm.Fixture;
import io.daskmpi.operator.slurm.SlurmException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The error mapping, over real failure captures of every Slurm version. */
class SlurmErrorsTest {
  private final JsonCodec json = new JsonCodec();

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
    // unknown job: 500/2017 on 22.05, 404/2017 later
    "22.05, job-notfound, NotFound",
    "22.05, job-notfound-delete, NotFound",
    "24.11/v0.0.40, job-notfound, NotFound",
    "26.05/v0.0.45, job-notfound, NotFound",
    // bad token: 500/-1 on 22.05, 511/1007 later; missing headers: 401 text/plain
    "22.05, auth-bad, Auth",
    "22.05, auth-wrongkey, Auth",
    "22.05, auth-user-mismatch, Auth",
    "22.05, auth-missing, Auth",
    "24.11/v0.0.40, auth-bad-job, Auth",
    "24.11/v0.0.42, auth-bad-submit, Auth",
    "24.11/v0.0.41, auth-user-mismatch, Auth",
    "26.05/v0.0.45, auth-bad-job, Auth",
    "26.05/v0.0.44, auth-missing, Auth",
    // the request itself is wrong
    "22.05, submit-badpartition, Rejected",
    "22.05, submit-noenv, Rejected",
    "22.05, submit-badpayload, Rejected",
    "22.05, submit-badpayload-noscript, Rejected",
    "22.05, submit-badpayload-syntax, Rejected",
    "22.05, job-badid, Rejected",
    "24.11/v0.0.41, submit-badpartition, Rejected",
    "24.11/v0.0.40, submit-noscript, Rejected",
    "24.11/v0.0.42, submit-syntax, Rejected",
    "26.05/v0.0.43, submit-badpartition, Rejected",
    "26.05/v0.0.45, submit-noenv, Rejected",
    "26.05/v0.0.45, job-badid, Rejected",
    // 22.05's expired token on submit looks like a broken connection to slurmctld
    "22.05, auth-expired-submit, Unavailable",
    // slurmrestd does not serve the path: the version is not (or no longer) loaded
    "22.05, ping-v0.0.39-unsupported, Unsupported",
  })
  void classifiesRealFailures(String location, String name, String expected) {
    HttpReply reply = Fixture.load(location, name);
    SlurmException e = SlurmErrors.classify("test", reply, json.readEnvelope(reply));
    assertThat(e.getClass().getSimpleName()).isEqualTo(expected);
    assertThat(e.getMessage()).contains("HTTP " + reply.status()).doesNotContain("eyJ");
    assertThat(e.httpStatus()).isEqualTo(reply.status());
  }

  @ParameterizedTest(name = "HTTP {0} with body [{1}] -> {2}, retriable {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "502 | <html>Bad Gateway</html> | Unavailable | true",
        "503 | | Unavailable | true",
        "504 | | Unavailable | true",
        "500 | Internal error | Unavailable | true",
        "500 | {\"errors\":[{\"error_number\":5005,\"error\":\"Zero Bytes\"}]} | Unavailable | true",
        "502 | {\"errors\":[{\"error_number\":7000,\"error\":\"Unable to connect to database\"}]} | Unavailable | true",
        "200 | {\"errors\":[{\"error_number\":2000,\"error\":\"Invalid partition\"}]} | Rejected | false",
        "500 | {\"errors\":[{\"error_number\":2000,\"error\":\"Invalid partition\"}]} | Rejected | false",
        "500 | {\"errors\":[{\"error_number\":9001,\"error\":\"Failure parsing\"}]} | Rejected | false",
        // A 5xx whose number says nothing about the request: passing trouble, never a refusal.
        "500 | {\"errors\":[{\"error_number\":1031,\"error\":\"Socket timed out\"}]} | Unavailable | true",
        "500 | {\"errors\":[{\"error_number\":3000,\"error\":\"something new\"}]} | Unavailable | true",
        "200 | {\"errors\":[{\"error_number\":1007,\"error\":\"Protocol authentication error\"}]} | Auth | false",
        "415 | Unsupported | Rejected | false",
        "405 | | Protocol | false",
      })
  void classifiesSyntheticFailures(int status, String body, String expected, boolean retriable) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    HttpReply reply = new HttpReply("GET", "/slurm/v0.0.42/jobs/", status, "", bytes);
    SlurmException e = SlurmErrors.classify("list jobs", reply, json.readEnvelope(reply));
    assertThat(e.getClass().getSimpleName()).isEqualTo(expected);
    assertThat(e.isRetriable()).isEqualTo(retriable);
    assertThat(e.getMessage()).startsWith("list jobs failed: HTTP " + status);
  }
}
