package io.daskmpi.operator.access;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a request of the access API asks for: one view of one DaskMpiJob, by the path {@code
 * /v1/namespaces/NAMESPACE/daskmpijobs/NAME/log} or {@code .../dashboard}. The view is also the
 * subresource name the caller must be allowed to {@code get} (RBAC: {@code daskmpijobs/log}).
 */
public record JobRoute(String namespace, String name, View view) {
  private static final String DNS_NAME = "[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?";
  private static final Pattern PATH =
      Pattern.compile(
          "/v1/namespaces/(" + DNS_NAME + ")/daskmpijobs/(" + DNS_NAME + ")/(log|dashboard)");

  /** A view of a job, named as its RBAC subresource. */
  public enum View {
    LOG("log"),
    DASHBOARD("dashboard");

    private final String subresource;

    View(String subresource) {
      this.subresource = subresource;
    }

    public String subresource() {
      return subresource;
    }
  }

  public static Optional<JobRoute> parse(String path) {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    View view = m.group(5).equals("log") ? View.LOG : View.DASHBOARD;
    return Optional.of(new JobRoute(m.group(1), m.group(3), view));
  }

  @Override
  public String toString() {
    return namespace + "/" + name + " (" + view.subresource() + ")";
  }
}
