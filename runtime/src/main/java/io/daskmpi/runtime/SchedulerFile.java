package io.daskmpi.runtime;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of Dask's scheduler file the runtime needs. The scheduler writes it with {@code
 * json.dump} (not atomically), so a half-written file must read as "not there yet".
 *
 * @param id the scheduler's id, e.g. {@code Scheduler-6c1f...}
 * @param address e.g. {@code tcp://10.0.0.5:38167}
 * @param dashboardPort the dashboard's actual port, which differs from the requested one when that
 *     was taken
 */
record SchedulerFile(String id, String address, OptionalInt dashboardPort) {
  // The file is flat apart from "services" and "workers" (empty at start-up), and its top-level
  // "address" comes before "workers": the first match is the scheduler's.
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern DASHBOARD = Pattern.compile("\"dashboard\"\\s*:\\s*(\\d+)");

  static Optional<SchedulerFile> parse(String json) {
    String text = json.strip();
    if (!text.startsWith("{") || !text.endsWith("}")) {
      return Optional.empty();
    }
    Matcher address = ADDRESS.matcher(text);
    if (!address.find()) {
      return Optional.empty();
    }
    Matcher id = ID.matcher(text);
    Matcher dashboard = DASHBOARD.matcher(text);
    return Optional.of(
        new SchedulerFile(
            id.find() ? id.group(1) : "",
            address.group(1),
            dashboard.find()
                ? OptionalInt.of(Integer.parseInt(dashboard.group(1)))
                : OptionalInt.empty()));
  }

  /** The host part of the address, for the dashboard URL. */
  String host() {
    String rest = address.contains("://") ? address.substring(address.indexOf("://") + 3) : address;
    int colon = rest.lastIndexOf(':');
    return colon > 0 ? rest.substring(0, colon) : rest;
  }

  Optional<String> dashboardUrl() {
    if (dashboardPort.isEmpty()) {
      return Optional.empty();
    }
    String host = host().contains(":") && !host().startsWith("[") ? "[" + host() + "]" : host();
    return Optional.of("http://" + host + ":" + dashboardPort.getAsInt() + "/status");
  }
}
