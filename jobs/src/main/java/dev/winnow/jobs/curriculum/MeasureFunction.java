package dev.winnow.jobs.curriculum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.MetaPath;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Measures each document's difficulty. Length and compression ratio come from the text. A
 * perplexity comes from meta: the configured dotted path (default {@code winnow.score.ppl}, where
 * the curation job's scoring puts it), else a plain {@code meta.ppl}; a document with neither goes
 * to the {@code unscored} side output for the proxy model.
 *
 * <p>An incoming {@code meta.winnow} object moves into {@link DocRecord#annotations}, where the
 * scoring stage adds {@code score} beside what the curation job left there, and from where {@link
 * DocRecord#toJson} writes it back.
 */
public class MeasureFunction extends ProcessFunction<DocRecord, CurriculumEntry> {
  private static final long serialVersionUID = 1L;
  private final DifficultyMeasure measure;
  private final MetaPath perplexityPath;
  private final OutputTag<DocRecord> unscored;
  private static final MetaPath PLAIN_PPL = MetaPath.of("meta.ppl");

  public MeasureFunction(
      DifficultyMeasure measure, String perplexityField, OutputTag<DocRecord> unscored) {
    this.measure = measure;
    this.perplexityPath = MetaPath.of(perplexityField);
    this.unscored = unscored;
  }

  @Override
  public void processElement(DocRecord d, Context ctx, Collector<CurriculumEntry> out) {
    ObjectNode meta = liftAnnotations(d);
    if (measure != DifficultyMeasure.PERPLEXITY) {
      out.collect(CurriculumEntry.of(d, measure.measure(d.text)));
      return;
    }
    Double ppl = perplexityPath.number(meta);
    if (ppl == null) {
      ppl = PLAIN_PPL.number(meta);
    }
    if (ppl == null) {
      ctx.output(unscored, d);
    } else {
      out.collect(CurriculumEntry.of(d, ppl));
    }
  }

  /**
   * The full meta (with {@code winnow}) for look-ups; moves {@code meta.winnow} into the record's
   * annotations.
   */
  static ObjectNode liftAnnotations(DocRecord d) {
    try {
      ObjectNode meta =
          d.metaJson == null
              ? DocumentJson.mapper().createObjectNode()
              : (ObjectNode) DocumentJson.mapper().readTree(d.metaJson);
      JsonNode winnow = meta.get("winnow");
      if (winnow != null && winnow.isObject() && d.annotations == null) {
        d.annotations = winnow.toString();
        ObjectNode rest = meta.deepCopy();
        rest.remove("winnow");
        d.metaJson = rest.isEmpty() ? null : rest.toString();
      }
      return meta;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read meta of document " + d.id, e);
    }
  }
}
