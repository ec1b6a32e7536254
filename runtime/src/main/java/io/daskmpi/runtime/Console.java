package io.daskmpi.runtime;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * This rank's stdout and stderr. Every line, the children's and the runtime's own, gets the rank's
 * label ({@code "2 worker: "}), as {@code srun --label} would, so interleaved output of many ranks
 * stays readable. Lines are copied as bytes: the children's encoding is theirs.
 */
final class Console {
  private static final int MAX_LINE = 64 * 1024;

  private final byte[] prefix;
  private final OutputStream out;
  private final OutputStream err;
  private final Object lock = new Object();

  Console(String prefix, OutputStream out, OutputStream err) {
    this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    this.out = out;
    this.err = err;
  }

  /** The process's own stdout/stderr, unbuffered by Java so each line leaves at once. */
  static Console standard(String prefix) {
    return new Console(
        prefix, new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
  }

  static String label(Rank rank, boolean label) {
    return label ? rank.rank() + " " + rank.role().label() + ": " : "";
  }

  /** A message from the runtime itself (stderr, so it never mixes into a script's stdout data). */
  void info(String message) {
    byte[] line = ("dask-mpi-runtime: " + message).getBytes(StandardCharsets.UTF_8);
    write(err, line, line.length);
  }

  void error(String message) {
    info("error: " + message);
  }

  /** Starts a daemon thread that copies {@code in} line by line to stdout or stderr. */
  Thread pump(InputStream in, boolean toStderr, String name) {
    Thread thread = new Thread(() -> copyLines(in, toStderr ? err : out), name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  void copyLines(InputStream in, OutputStream target) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            emit(target, line);
          } else {
            line.write(b);
            if (line.size() >= MAX_LINE) {
              emit(target, line);
            }
          }
        }
      }
    } catch (IOException e) {
      // the child's pipe closed under us: it is gone, and so is its output
    }
    if (line.size() > 0) {
      emit(target, line);
    }
  }

  private void emit(OutputStream target, ByteArrayOutputStream line) {
    write(target, line.toByteArray(), line.size());
    line.reset();
  }

  private void write(OutputStream target, byte[] line, int length) {
    byte[] whole = new byte[prefix.length + length + 1];
    System.arraycopy(prefix, 0, whole, 0, prefix.length);
    System.arraycopy(line, 0, whole, prefix.length, length);
    whole[whole.length - 1] = '\n';
    synchronized (lock) {
      try {
        target.write(whole);
        target.flush();
      } catch (IOException e) {
        // nowhere left to report it
      }
    }
  }
}
