package dev.winnow.jobs.curriculum;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * After the curation job's {@code PerplexityScoreFunction} scored a document: its difficulty is the
 * proxy model's perplexity from {@code meta.winnow.score.ppl} (null there, for a text too short to
 * score, is NaN: ranked last).
 */
public class ModelPerplexity implements MapFunction<DocRecord, CurriculumEntry> {
  private static final long serialVersionUID = 1L;

  @Override
  public CurriculumEntry map(DocRecord d) {
    return CurriculumEntry.of(d, Annotations.number(d, "meta.winnow.score.ppl"));
  }
}
