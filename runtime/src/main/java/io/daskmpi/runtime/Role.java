package io.daskmpi.runtime;

/**
 * What a rank does in a Dask-MPI launch. The table is dask-mpi's: 0 scheduler, 1 client, 2+
 * workers.
 */
enum Role {
  SCHEDULER("scheduler"),
  CLIENT("client"),
  WORKER("worker");

  /** Scheduler, client and at least one worker. */
  static final int MIN_RANKS = 3;

  private final String label;

  Role(String label) {
    this.label = label;
  }

  static Role of(int rank) {
    if (rank < 0) {
      throw new IllegalArgumentException("rank " + rank + " < 0");
    }
    return switch (rank) {
      case 0 -> SCHEDULER;
      case 1 -> CLIENT;
      default -> WORKER;
    };
  }

  String label() {
    return label;
  }
}
