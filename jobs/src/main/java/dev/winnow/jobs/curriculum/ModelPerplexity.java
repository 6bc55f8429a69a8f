package dev.winnow.jobs.curriculum;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.DocRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * After the curation job's {@code PerplexityScoreFunction} scored a document: its difficulty is the proxy model's
 * perplexity from {@code meta.winnow.score.ppl} (null there, for a text too short to score, is NaN: ranked last).
 */
public class ModelPerplexity implements MapFunction<DocRecord, CurriculumEntry> {
  private static final long serialVersionUID = 1L;

  @Override
  public CurriculumEntry map(DocRecord d) {
    try {
      JsonNode a = DocumentJson.mapper().readTree(d.annotations);
      Double ppl = MeasureFunction.number(a, new String[] {"score", "ppl"});
      return CurriculumEntry.of(d, ppl == null ? Double.NaN : ppl);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the score of document " + d.id, e);
    }
  }
}
