package dev.winnow.jobs.curation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.kernels.scoring.DocumentScore;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The perplexity stage: hands each kept document to the TaskManager's {@link SharedScorer} and attaches the result as
 * {@code meta.winnow.score}. Runs under Flink's async I/O operator, whose in-flight documents are part of every
 * checkpoint, so a restart neither loses nor repeats a document; batching happens in the shared scorer.
 */
public class PerplexityScoreFunction extends RichAsyncFunction<DocRecord, DocRecord> {
  private final CurationConfig.Score cfg;
  private transient SharedScorer scorer;

  public PerplexityScoreFunction(CurationConfig.Score cfg) {
    this.cfg = cfg;
  }

  @Override
  public void open(OpenContext openContext) {
    // the model is loaded with the first document, not here: a job whose documents all carry a score (a curriculum
    // over scored records) never loads it
  }

  @Override
  public void asyncInvoke(DocRecord d, ResultFuture<DocRecord> out) throws Exception {
    if (scorer == null) {
      scorer = SharedScorer.acquire(cfg);
    }
    scorer.batcher.submit(d.text).whenComplete((s, err) -> {
      if (err != null) {
        out.completeExceptionally(new IllegalStateException("scoring document " + d.id + " failed", err));
        return;
      }
      d.annotations = annotate(d.annotations, s, cfg.model);
      out.complete(List.of(d));
    });
  }

  /** Adds {@code score} to a document's {@code meta.winnow} annotations (NaN figures of one-token texts as null). */
  static String annotate(String annotations, DocumentScore s, String model) {
    try {
      ObjectNode a = annotations == null ? DocumentJson.mapper().createObjectNode()
          : (ObjectNode) DocumentJson.mapper().readTree(annotations);
      ObjectNode score = a.putObject("score");
      score.put("model", model);
      score.put("tokens", s.tokens());
      putFinite(score, "mean_nll", s.meanNll());
      putFinite(score, "ppl", s.perplexity());
      putFinite(score, "ppl_word", s.perWordPerplexity());
      return a.toString();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void putFinite(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  @Override
  public void close() {
    if (scorer != null) {
      scorer.release();
      scorer = null;
    }
  }
}
