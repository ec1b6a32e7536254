package io.daskmpi.operator.slurm;

/**
 * How a finished job's batch script ended: an exit code, or the signal that killed it.
 *
 * @param code the exit code (0–255), or null when the job was killed by a signal
 * @param signal the signal number, or null when the job exited normally
 */
public record ExitStatus(Integer code, Integer signal) {

  public static ExitStatus exited(int code) {
    return new ExitStatus(code, null);
  }

  public static ExitStatus signaled(int signal) {
    return new ExitStatus(null, signal);
  }

  /**
   * Decodes a raw {@code wait(2)} status, which REST API v0.0.38 reports as {@code exit_code} (exit
   * 3 is 768, SIGKILL is 9, a time-out's SIGTERM to the shell is 143 &lt;&lt; 8).
   */
  public static ExitStatus fromWaitStatus(long status) {
    int signal = (int) (status & 0x7f);
    if (signal != 0) {
      return signaled(signal);
    }
    return exited((int) ((status >> 8) & 0xff));
  }

  public boolean isSuccess() {
    return signal == null && code != null && code == 0;
  }

  @Override
  public String toString() {
    return signal != null ? "signal " + signal : "exit " + code;
  }
}
