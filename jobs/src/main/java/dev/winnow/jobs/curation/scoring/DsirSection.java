package dev.winnow.jobs.curation.scoring;

import java.io.Serializable;

/**
 * DSIR importance weight (Xie et al. 2023) of every kept document towards a target distribution:
 * {@code meta.winnow.dsir} = {@code {log_weight}}. The model is a {@code winnow dsir fit} file;
 * when it has no raw distribution, each subtask fits one from the first {@link #warmUpDocuments}
 * documents it sees, which wait in checkpointed state until then (see {@link WarmUpOperator}).
 */
public class DsirSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /**
   * Path of a {@code winnow dsir fit} model file; required when enabled (read and checked when the
   * job is built).
   */
  public String model = null;

  /** Documents per subtask that fit the raw distribution when the model file has none. */
  public int warmUpDocuments = 1000;
}
