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
  /** Lines longer than this are sent in pieces as they come rather than held back. */
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
  private boolean lineStarted;
  private boolean lineShown;

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
      if (line.size() > 0 || lineStarted) {
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
          emitPiece();
        }
      }
    }
  }

  /** The end of a line: what is left of it, and its line end if it is shown. */
  private void emit() throws IOException {
    emitPiece();
    if (lineShown) {
      out.write('\n');
    }
    lineStarted = false;
  }

  /**
   * What has come of the current line. Its first piece decides, through the filter, whether the
   * whole line is shown; later pieces of a long line are sent as they are (bytes, so a character
   * cut between two pieces stays whole).
   */
  private void emitPiece() throws IOException {
    byte[] piece = line.toByteArray();
    line.reset();
    if (lineStarted) {
      if (lineShown) {
        out.write(piece);
      }
      return;
    }
    lineStarted = true;
    String text = new String(piece, StandardCharsets.UTF_8);
    var shown = filter.apply(text);
    lineShown = shown.isPresent();
    if (lineShown) {
      // The filter only cuts off an ASCII label: as many bytes as characters.
      int label = text.length() - shown.get().length();
      out.write(piece, label, piece.length - label);
    }
  }
}
