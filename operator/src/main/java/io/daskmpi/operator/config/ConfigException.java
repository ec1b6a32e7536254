package io.daskmpi.operator.config;

import java.util.List;

/** The configuration is unusable; the message lists every problem with its key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(List<String> problems) {
    super("invalid operator configuration:\n  " + String.join("\n  ", problems));
  }
}
