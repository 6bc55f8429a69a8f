package dev.winnow.jobs.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of the commands that run a Flink job ({@code curate}, {@code curriculum}, {@code pool
 * index}) for submitting it to a cluster instead of a local MiniCluster: {@code --jobmanager
 * HOST:PORT}, {@code --job-jar}, {@code --detach}, {@code --from-savepoint}. The submission itself
 * is {@link ClusterSubmission}'s, the same for every command.
 */
final class ClusterOptions {
  @Option(
      names = "--jobmanager",
      paramLabel = "HOST:PORT",
      description =
          "Submit the job to a Flink cluster through its JobManager's REST API (as `flink run`"
              + " does) instead of running it here; prints the job id and the web UI, and follows the"
              + " job until it ends (or --detach).")
  String jobmanager;

  @Option(
      names = "--job-jar",
      description =
          "The job jar to submit with --jobmanager (default: winnow-jobs-*-job.jar beside this"
              + " command's jar).")
  Path jobJar;

  @Option(names = "--detach", description = "With --jobmanager: return once the job is submitted.")
  boolean detach;

  /** Whether the job goes to a cluster ({@code --jobmanager} given). */
  boolean remote() {
    return jobmanager != null;
  }

  /**
   * Uploads the job jar and runs {@code args} (a winnow command line, normally with the resolved
   * configuration as JSON) there; returns the exit code.
   *
   * @param savepoint the savepoint to restore the job's state from, or null
   */
  int submit(List<String> args, String savepoint) throws Exception {
    return ClusterSubmission.submit(
        new JobManagerClient(jobmanager),
        jobJar != null ? jobJar : ClusterSubmission.defaultJobJar(),
        args,
        savepoint,
        detach);
  }
}
