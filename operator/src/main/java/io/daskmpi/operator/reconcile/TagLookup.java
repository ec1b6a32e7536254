package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmJob;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds jobs by their tag with a full listing of the cluster, which is costly: it is only asked for
 * resources whose submit outcome is unknown (after a crash, a lost answer), and lookups of one
 * endpoint share listings. Callers that arrive while a listing runs join the next one; so after a
 * restart with thousands of such resources, slurmctld sees a few listings, not thousands. A caller
 * never gets an answer from a listing that was asked before the caller arrived.
 */
final class TagLookup {
  private final SlurmClient client;
  private final ReentrantLock sending = new ReentrantLock();
  private Batch open; // guarded by this

  /** The tags one listing answers for. */
  private static final class Batch {
    final Set<String> tags = new HashSet<>();
    final CompletableFuture<List<SlurmJob>> result = new CompletableFuture<>();
  }

  TagLookup(SlurmClient client) {
    this.client = client;
  }

  /** Every job slurmctld holds that carries {@code tag}. */
  List<SlurmJob> find(String tag) {
    Batch batch;
    synchronized (this) {
      if (open == null) {
        open = new Batch();
      }
      batch = open;
      batch.tags.add(tag);
    }
    sending.lock();
    try {
      if (!batch.result.isDone()) {
        Set<String> tags;
        synchronized (this) {
          if (open == batch) {
            open = null; // later callers start the next batch
          }
          tags = Set.copyOf(batch.tags);
        }
        try {
          batch.result.complete(client.findByTags(tags));
        } catch (RuntimeException e) {
          batch.result.completeExceptionally(e);
        }
      }
    } finally {
      sending.unlock();
    }
    try {
      return batch.result.join().stream().filter(j -> j.comment().equals(tag)).toList();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** How many lookups wait for the next listing (for tests). */
  synchronized int waiting() {
    return open == null ? 0 : open.tags.size();
  }
}
