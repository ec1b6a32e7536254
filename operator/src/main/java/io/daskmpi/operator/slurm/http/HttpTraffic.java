package io.daskmpi.operator.slurm.http;

/**
 * Told of every exchange with a slurmrestd: what the operator costs it is measured at the wire (the
 * bytes of a streamed answer are counted as they are read).
 */
@FunctionalInterface
public interface HttpTraffic {
  HttpTraffic NONE = (method, responseBytes) -> {};

  /**
   * @param method the HTTP method
   * @param responseBytes the bytes of the answer's body read
   */
  void exchanged(String method, long responseBytes);
}
