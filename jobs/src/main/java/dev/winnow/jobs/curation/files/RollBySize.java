package dev.winnow.jobs.curation.files;

import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

/**
 * Rolls a part file once it holds {@code maxBytes} (compressed), so large runs get part files of a
 * bounded size instead of one file per writing task; bulk formats also roll on every checkpoint (in
 * batch mode: at the end of the input).
 */
final class RollBySize<IN> extends CheckpointRollingPolicy<IN, String> {
  private static final long serialVersionUID = 1L;
  private final long maxBytes;

  RollBySize(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException(
          "illegal part file size " + maxBytes + ": must be at least 1 byte");
    }
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean shouldRollOnEvent(PartFileInfo<String> partFileState, IN element)
      throws java.io.IOException {
    return partFileState.getSize() >= maxBytes;
  }

  @Override
  public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFileState, long time) {
    return false;
  }
}
