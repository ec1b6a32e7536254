package io.daskmpi.runtime;

/**
 * This process's place in the launch.
 *
 * @param rank 0-based rank
 * @param size number of ranks in the launch
 * @param launcher who started the ranks
 * @param source the variables the rank and size were read from, for messages
 */
record Rank(int rank, int size, Launcher launcher, String source) {
  Rank {
    if (size < 1 || rank < 0 || rank >= size) {
      throw new IllegalArgumentException("rank " + rank + " of " + size);
    }
  }

  Role role() {
    return Role.of(rank);
  }

  /** Ranks 2 and up are workers. */
  int workers() {
    return size - 2;
  }
}
