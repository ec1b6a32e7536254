package io.daskmpi.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar dask-mpi-runtime.jar [OPTIONS] SCRIPT [ARGS...]}: gives this rank its Dask role.
 * Wiring only.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Instant started = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    Map<String, String> env = System.getenv();
    Console plain = Console.standard("");
    RuntimeOptions options;
    Rank rank;
    try {
      RuntimeOptions.Invocation invocation = RuntimeOptions.parse(List.of(args), env);
      if (invocation instanceof RuntimeOptions.Help) {
        System.out.print(RuntimeOptions.helpText());
        System.exit(0);
      }
      if (invocation instanceof RuntimeOptions.Version) {
        System.out.println("dask-mpi-runtime " + version());
        System.exit(0);
      }
      options = ((RuntimeOptions.Run) invocation).options();
      rank = RankEnvironment.detect(env);
    } catch (RuntimeFailure e) {
      plain.error(e.getMessage());
      System.exit(e.exitCode());
      return;
    }

    Console console = Console.standard(Console.label(rank, options.label()));
    LaunchId id =
        LaunchId.of(env, rank.launcher(), options.jobId(), LaunchId::hydraControlPortOfAncestors);
    if (!id.unique() && rank.role() == Role.SCHEDULER) {
      console.info(
          "warning: nothing in the environment identifies this launch; two launches at once in"
              + " this directory would meet each other's scheduler. Set "
              + LaunchId.OVERRIDE_VARIABLE
              + " or --job-id.");
    }
    Supervisor supervisor = new Supervisor(console);
    Launch launch =
        new Launch(
            rank,
            options,
            Rendezvous.of(options.rendezvousDir(), id, started),
            console,
            supervisor,
            env);
    int code;
    try {
      code =
          switch (rank.role()) {
            case SCHEDULER -> new SchedulerRank(launch).run();
            case CLIENT -> new ClientRank(launch).run();
            case WORKER -> new WorkerRank(launch).run();
          };
    } catch (RuntimeFailure e) {
      console.error(e.getMessage());
      code = e.exitCode();
    }
    supervisor.exit(code);
  }

  private static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }
}
