package dev.winnow.jobs.curriculum;

import org.apache.flink.api.common.functions.RichMapPartitionFunction;
import org.apache.flink.util.Collector;

/**
 * Passes every document on and, at the end of its partition, one count entry: the ordered pass sums these to learn
 * the total {@code N} that the stage boundaries need, without a second read of the input.
 */
public class CountingPass extends RichMapPartitionFunction<CurriculumEntry, CurriculumEntry> {
  private static final long serialVersionUID = 1L;

  @Override
  public void mapPartition(Iterable<CurriculumEntry> entries, Collector<CurriculumEntry> out) {
    long n = 0;
    for (CurriculumEntry e : entries) {
      out.collect(e);
      n++;
    }
    out.collect(CurriculumEntry.count(n, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()));
  }
}
