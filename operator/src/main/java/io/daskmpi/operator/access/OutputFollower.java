package io.daskmpi.operator.access;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Copies a job's output file to a reader, line by line through a {@link RankFilter}; when
 * following, keeps reading what the job appends until the job has ended and everything it wrote is
 * sent. A file that does not exist yet (the job waits in the queue) is waited for.
 */
final class OutputFollower {
  /** Lines longer than this are sent in pieces rather than held back. */
  static final int MAX_LINE = 1024 * 1024;

  /** How the follower waits for more output: a pause in production, a step in tests. */
  interface Pause {
    /** Waits; an IOException ends the follow (e.g. the reader has gone). */
    void pause() throws IOException, InterruptedException;

    static Pause of(Duration d) {
      return () -> Thread.sleep(d.toMillis());
    }
  }

  /** Opens the file, or returns null while it does not exist. */
  interface Opener {
    InputStream open() throws IOException;
  }

  private final RankFilter filter;
  private final OutputStream out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  OutputFollower(RankFilter filter, OutputStream out) {
    this.filter = filter;
    this.out = out;
  }

  /**
   * Sends the file; with {@code ended} not null, follows it until {@code ended} says the job is
   * over (asked only when no new bytes came), then sends the rest.
   *
   * @return false if the file never appeared before the job ended
   */
  boolean copy(Opener file, BooleanSupplier ended, Pause pause)
      throws IOException, InterruptedException {
    InputStream in = null;
    try {
      byte[] buffer = new byte[64 * 1024];
      while (true) {
        if (in == null) {
          in = file.open();
        }
        int n = in == null ? -1 : in.read(buffer);
        if (n > 0) {
          take(buffer, n);
          continue;
        }
        out.flush();
        if (ended == null) {
          break;
        }
        // Asked before the last read, so nothing written before the end is missed.
        boolean over = ended.getAsBoolean();
        if (in == null) {
          in = file.open();
        }
        if (over) {
          if (in == null) {
            return false;
          }
          for (int m = in.read(buffer); m > 0; m = in.read(buffer)) {
            take(buffer, m);
          }
          break;
        }
        pause.pause();
      }
      if (line.size() > 0) {
        emit();
      }
      out.flush();
      return in != null;
    } finally {
      if (in != null) {
        in.close();
      }
    }
  }

  private void take(byte[] buffer, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      if (buffer[i] == '\n') {
        emit();
      } else {
        line.write(buffer[i]);
        if (line.size() >= MAX_LINE) {
          emit();
        }
      }
    }
  }

  private void emit() throws IOException {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    var shown = filter.apply(text);
    if (shown.isPresent()) {
      out.write((shown.get() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
