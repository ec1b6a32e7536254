package io.daskmpi.operator.testing;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ClusterInfo;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.QueueSettings;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.SubmitResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An in-memory slurmctld (and, once {@link #keepHistory() asked}, slurmdbd) for reconciler tests:
 * jobs move only when the test says so.
 */
public final class FakeSlurm implements SlurmClient {
  private final Map<Long, SlurmJob> jobs = new ConcurrentHashMap<>();
  private final Map<Long, SlurmJob> records = new ConcurrentHashMap<>();
  private volatile boolean history;
  private final List<JobSubmission> submissions = new ArrayList<>();
  private final List<JobUpdate> updates = new ArrayList<>();
  private volatile String refuseUpdate;
  private final AtomicLong nextId = new AtomicLong(1000);
  private volatile boolean down;
  private volatile SlurmException afterAccepting;
  private volatile boolean stateQuery = true;
  private final AtomicLong listings = new AtomicLong();
  private final AtomicLong stateQueries = new AtomicLong();
  private final AtomicLong gets = new AtomicLong();
  private final String user;
  private volatile int lastStateQuerySize;
  private volatile Consumer<Set<String>> onListing = tags -> {};

  /** A Slurm whose submits run as {@link TestEndpoints#USER}. */
  public FakeSlurm() {
    this(TestEndpoints.USER);
  }

  /** A Slurm reached as USER: the jobs submitted through it run as USER. */
  public FakeSlurm(String user) {
    this.user = user;
  }

  public synchronized List<JobSubmission> submissions() {
    return List.copyOf(submissions);
  }

  public void setDown(boolean value) {
    down = value;
  }

  public SlurmJob job(long id) {
    return jobs.get(id);
  }

  public void set(long id, JobState state, ExitStatus exit) {
    SlurmJob j = jobs.get(id);
    Instant now = Instant.now();
    put(
        id,
        new SlurmJob(
            id,
            j.name(),
            j.comment(),
            state,
            Set.of(),
            "None",
            state == JobState.PENDING ? "" : "vm",
            state == JobState.PENDING ? "" : "vm",
            j.submitTime(),
            now,
            now,
            exit,
            j.workingDirectory(),
            j.standardOutput(),
            j.userName(),
            j.queue()));
  }

  /**
   * The next submit is taken (the job exists) but its answer fails with E, as if lost on the way.
   */
  public void loseNextSubmitAnswer(SlurmException e) {
    afterAccepting = e;
  }

  /** A pending job of someone else, carrying COMMENT; returns its id. */
  public long addForeignJob(String comment) {
    return addJob(comment, "someone");
  }

  /** A pending job of {@link TestEndpoints#USER}, the operator's user, carrying COMMENT. */
  public long addOwnJob(String comment) {
    return addJob(comment, TestEndpoints.USER);
  }

  public synchronized long addJob(String comment, String user) {
    long id = nextId.incrementAndGet();
    put(id, pending(id, "other", comment, "/tmp", "/tmp/other.out", user));
    return id;
  }

  private static SlurmJob pending(
      long id, String name, String comment, String workDir, String output, String user) {
    return new SlurmJob(
        id,
        name,
        comment,
        JobState.PENDING,
        Set.of(),
        "Priority",
        "",
        "",
        Instant.now(),
        null,
        null,
        null,
        workDir,
        output,
        user);
  }

  /** Gives the fake a slurmdbd: jobs slurmctld forgets stay in its records. */
  public void keepHistory() {
    history = true;
  }

  /** slurmctld forgets the job (MinJobAge); slurmdbd keeps it if {@link #keepHistory()}. */
  public void forget(long id) {
    jobs.remove(id);
  }

  private void put(long id, SlurmJob job) {
    jobs.put(id, job);
    records.put(id, job);
  }

  private void check() {
    if (down) {
      throw new SlurmException.Unavailable("fake slurmrestd is down", 0, List.of(), null);
    }
  }

  @Override
  public ApiVersion apiVersion() {
    return ApiVersion.V0_0_45;
  }

  @Override
  public ClusterInfo ping() {
    check();
    return new ClusterInfo("26.05.0", ApiVersion.V0_0_45, List.of("v0.0.45"), true, history);
  }

  @Override
  public void checkAccess() {
    check();
  }

  @Override
  public synchronized SubmitResult submit(JobSubmission s) {
    check();
    long id = nextId.incrementAndGet();
    submissions.add(s);
    SlurmJob job =
        pending(
            id,
            s.name(),
            s.comment(),
            s.workingDirectory(),
            s.standardOutput().replace("%j", Long.toString(id)),
            user);
    put(
        id,
        withQueue(
            job,
            s.hold() ? "JobHeldUser" : job.reason(),
            new QueueSettings(
                orDefault(s.partition(), "debug"),
                orDefault(s.account(), "daskmpi"),
                orDefault(s.qos(), "normal"),
                s.reservation(),
                s.timeLimitMinutes())));
    SlurmException lost = afterAccepting;
    if (lost != null) {
      afterAccepting = null;
      throw lost;
    }
    return new SubmitResult(id, List.of());
  }

  @Override
  public Optional<SlurmJob> get(long jobId) {
    check();
    gets.incrementAndGet();
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public JobListing listChangedSince(Instant since) {
    check();
    return new JobListing(false, List.copyOf(jobs.values()), Instant.now());
  }

  @Override
  public List<SlurmJob> findByTags(Set<String> tags) {
    check();
    listings.incrementAndGet();
    onListing.accept(tags);
    return jobs.values().stream().filter(j -> tags.contains(j.comment())).toList();
  }

  @Override
  public boolean hasStateQuery() {
    return stateQuery;
  }

  @Override
  public Map<Long, List<String>> states(Collection<Long> jobIds) {
    check();
    stateQueries.incrementAndGet();
    lastStateQuerySize = jobIds.size();
    Map<Long, List<String>> states = new HashMap<>();
    for (long id : jobIds) {
      SlurmJob j = jobs.get(id);
      if (j != null) {
        List<String> names = new ArrayList<>(List.of(j.state().name()));
        names.addAll(j.flags());
        states.put(id, names);
      }
    }
    return states;
  }

  /** Runs at the start of each full listing, with the tags asked for (to make one hang). */
  public void onListing(Consumer<Set<String>> hook) {
    onListing = hook;
  }

  /** Full listings asked for ({@link #findByTags}): what a cluster's size makes costly. */
  public long listings() {
    return listings.get();
  }

  /** Single-job lookups ({@link #get}) asked for. */
  public long gets() {
    return gets.get();
  }

  /** How many ids the last {@code jobs/state} query named. */
  public int lastStateQuerySize() {
    return lastStateQuerySize;
  }

  /** {@code jobs/state} queries asked for. */
  public long stateQueries() {
    return stateQueries.get();
  }

  /** Whether the fake serves {@code jobs/state} (v0.0.40+); when not, jobs are listed. */
  public void setStateQuery(boolean value) {
    stateQuery = value;
  }

  @Override
  public boolean hasHistory() {
    return history;
  }

  @Override
  public Optional<SlurmJob> history(long jobId, String tag) {
    check();
    return history
        ? Optional.ofNullable(records.get(jobId)).filter(j -> j.comment().equals(tag))
        : Optional.empty();
  }

  @Override
  public List<SlurmJob> historyByTag(String tag, String name, Instant since) {
    check();
    return !history
        ? List.of()
        : records.values().stream()
            .filter(j -> j.comment().equals(tag) && j.name().equals(name))
            .toList();
  }

  /** The updates asked for, in order. */
  public synchronized List<JobUpdate> updates() {
    return List.copyOf(updates);
  }

  /** The next update is refused, as slurmctld refuses an unknown partition. */
  public void refuseNextUpdate(String why) {
    refuseUpdate = why;
  }

  @Override
  public synchronized void update(long jobId, JobUpdate u) {
    check();
    SlurmJob job = jobs.get(jobId);
    if (job == null) {
      throw new SlurmException.NotFound("no job " + jobId, 404, List.of(2017));
    }
    updates.add(u);
    String refused = refuseUpdate;
    if (refused != null) {
      refuseUpdate = null;
      throw new SlurmException.Rejected(refused, 500, List.of(2000));
    }
    if (job.state() != JobState.PENDING) {
      throw new SlurmException.Rejected("Job is no longer pending execution", 500, List.of(2021));
    }
    QueueSettings q = job.queue();
    String reason = u.hold() == null ? job.reason() : u.hold() ? "JobHeldUser" : "Priority";
    put(
        jobId,
        withQueue(
            job,
            reason,
            new QueueSettings(
                orDefault(u.partition(), q.partition()),
                orDefault(u.account(), q.account()),
                orDefault(u.qos(), q.qos()),
                orDefault(u.reservation(), q.reservation()),
                u.timeLimitMinutes() == null ? q.timeLimitMinutes() : u.timeLimitMinutes())));
  }

  private static String orDefault(String value, String otherwise) {
    return value == null ? otherwise : value;
  }

  private static SlurmJob withQueue(SlurmJob j, String reason, QueueSettings queue) {
    return new SlurmJob(
        j.id(),
        j.name(),
        j.comment(),
        j.state(),
        j.flags(),
        reason,
        j.nodes(),
        j.batchHost(),
        j.submitTime(),
        j.startTime(),
        j.endTime(),
        j.exit(),
        j.workingDirectory(),
        j.standardOutput(),
        j.userName(),
        queue);
  }

  @Override
  public void cancel(long jobId) {
    check();
    if (!jobs.containsKey(jobId)) {
      throw new SlurmException.NotFound("no job " + jobId, 404, List.of(2017));
    }
    set(jobId, JobState.CANCELLED, ExitStatus.signaled(15));
  }
}
