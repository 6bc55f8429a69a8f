package dev.winnow.jobs.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * How a streaming job runs: parallelism, checkpoints, restarts, state backend (the curation and
 * pool-indexing jobs).
 */
public class JobSection implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Operator parallelism; 0 = the number of cores. */
  public int parallelism = 0;

  /**
   * Key groups of the keyed (dedup) state: the most parallelism a checkpoint or savepoint of the
   * job can be restored at (stop with a savepoint, resume at another parallelism). Fixed, so that
   * every run of the job agrees; changing it makes earlier savepoints unusable.
   */
  public int maxParallelism = 128;

  /** Checkpoint interval: output becomes visible to read_committed consumers once per interval. */
  public long checkpointIntervalMs = 5_000;

  /**
   * Read until the end offsets seen at start, then finish (a batch run over a topic); false = run
   * forever.
   */
  public boolean bounded = false;

  /** Where to start when the group has no committed offsets: {@code earliest} or {@code latest}. */
  public String startFrom = "earliest";

  /**
   * {@code hashmap} (state on the heap) or {@code rocksdb} (state on disk, for large dedup state;
   * checkpoints are then incremental).
   */
  public String stateBackend = "hashmap";

  /**
   * Checkpoint storage URI (e.g. {@code file:///data/ckpt}, {@code s3://...}); null = a local
   * temporary directory.
   */
  public String checkpointDir = null;

  /** Restarts after a failure (from the last checkpoint) before the job gives up. */
  public int restartAttempts = 3;

  /** Wait between restarts. */
  public long restartDelayMs = 1_000;

  /**
   * Recovery drill: fail once after this many records, then restart from the last checkpoint; 0 =
   * off.
   */
  public long injectFailureAfterRecords = 0;

  /**
   * Checks the {@code job} section; the checkpoint interval must stay below half the sinks'
   * transaction timeout.
   */
  public void validate(ConfigChecks check, long transactionTimeoutMs) {
    check.range("job.parallelism", parallelism, 0, 4096);
    check.range("job.maxParallelism", maxParallelism, 1, 32_768);
    check.require(
        parallelism <= maxParallelism,
        "job.parallelism",
        "value " + parallelism + " must not exceed job.maxParallelism (" + maxParallelism + ")");
    check.range("job.checkpointIntervalMs", checkpointIntervalMs, 100, 3_600_000);
    check.require(
        checkpointIntervalMs * 2 < transactionTimeoutMs,
        "job.checkpointIntervalMs",
        "value "
            + checkpointIntervalMs
            + " must be less than half of kafka.transactionTimeoutMs ("
            + transactionTimeoutMs
            + ")");
    check.range("job.restartAttempts", restartAttempts, 0, 1_000_000);
    check.range("job.restartDelayMs", restartDelayMs, 0, 3_600_000);
    check.range("job.injectFailureAfterRecords", injectFailureAfterRecords, 0, Long.MAX_VALUE);
    check.oneOf("job.startFrom", startFrom, "earliest", "latest");
    check.oneOf("job.stateBackend", stateBackend, "hashmap", "rocksdb");
  }

  /** {@link #parallelism}, or the number of cores for 0. */
  public int effectiveParallelism() {
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  /** Flink settings of the section: restarts, state backend, checkpoint storage. */
  public Configuration flinkConfig() {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
    // RocksDB checkpoints upload only the files written since the last one: a full copy of the
    // dedup state every interval (hundreds of MB after 100,000 documents) would keep the disk busy
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, "rocksdb".equals(stateBackend));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
        Duration.ofMillis(restartDelayMs));
    // Checkpoints go to a file system: the JobManager-memory default caps state at 5 MB, which the
    // dedup state of a
    // few thousand documents already exceeds. Without a configured directory, a local temporary one
    // (fine for a
    // MiniCluster; a real cluster needs shared storage in job.checkpointDir).
    String dir =
        checkpointDir != null
            ? checkpointDir
            : Path.of(System.getProperty("java.io.tmpdir"), "winnow-checkpoints")
                .toUri()
                .toString();
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
    return conf;
  }
}
