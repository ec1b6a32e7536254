package io.daskmpi.operator.slurm.http;

import java.io.IOException;
import java.io.InputStream;

/** Reads a successful answer's body as it arrives. */
@FunctionalInterface
public interface BodyReader<T> {
  T read(InputStream body) throws IOException;
}
