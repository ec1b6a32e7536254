package io.daskmpi.operator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The API server's rules for a DaskMpiJob's name (a DNS-1123 subdomain) and namespace (a DNS-1123
 * label), for {@code run -f}, which has no API server: both end up in the job's name, tag and
 * output file path, where a '/' or a '$(...)' must never arrive.
 */
final class KubernetesNames {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private KubernetesNames() {}

  static List<String> problems(String name, String namespace) {
    List<String> problems = new ArrayList<>();
    if (name == null || name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
      problems.add(
          "metadata.name: '"
              + name
              + "' is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.',"
              + " starting and ending with a letter or digit, at most 253 characters)");
    }
    if (namespace != null && (namespace.length() > 63 || !LABEL.matcher(namespace).matches())) {
      problems.add(
          "metadata.namespace: '"
              + namespace
              + "' is not a DNS-1123 label (lower-case letters, digits and '-', starting and"
              + " ending with a letter or digit, at most 63 characters)");
    }
    return problems;
  }
}
