package dev.winnow.jobs.common;

import dev.winnow.jobs.config.ModelCalls;
import dev.winnow.jobs.models.SharedPerJvm;
import dev.winnow.jobs.models.SharedScorer;
import dev.winnow.kernels.scoring.DocumentScore;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The perplexity stage: hands each kept document to the TaskManager's {@link SharedScorer} and
 * attaches the result as {@code meta.winnow.score}. Runs under Flink's async I/O operator, whose
 * in-flight documents are part of every checkpoint, so a restart neither loses nor repeats a
 * document; batching happens in the shared scorer.
 */
public class PerplexityScoreFunction extends RichAsyncFunction<DocRecord, DocRecord> {
  private final ModelCalls cfg;
  private transient SharedPerJvm.Lease<SharedScorer<String, DocumentScore>> scorer;

  public PerplexityScoreFunction(ModelCalls cfg) {
    this.cfg = cfg;
  }

  @Override
  public void open(OpenContext openContext) {
    // the model is loaded with the first document, not here: a job whose documents all carry a
    // score (a curriculum
    // over scored records) never loads it
  }

  @Override
  public void asyncInvoke(DocRecord d, ResultFuture<DocRecord> out) throws Exception {
    if (scorer == null) {
      scorer = SharedScorer.documents(cfg);
    }
    scorer
        .get()
        .batcher()
        .submit(d.text)
        .whenComplete(
            (s, err) -> {
              if (err != null) {
                out.completeExceptionally(
                    new IllegalStateException("scoring document " + d.id + " failed", err));
                return;
              }
              d.annotations = annotate(d.annotations, s, cfg.model);
              out.complete(List.of(d));
            });
  }

  /**
   * Adds {@code score} to a document's {@code meta.winnow} annotations (NaN figures of one-token
   * texts as null).
   */
  static String annotate(String annotations, DocumentScore s, String model) {
    return Annotations.with(
        annotations,
        "score",
        score -> {
          score.put("model", model);
          score.put("tokens", s.tokens());
          Annotations.putFinite(score, "mean_nll", s.meanNll());
          Annotations.putFinite(score, "ppl", s.perplexity());
          Annotations.putFinite(score, "ppl_word", s.perWordPerplexity());
        });
  }

  @Override
  public void close() throws Exception {
    if (scorer != null) {
      scorer.close();
      scorer = null;
    }
  }
}
