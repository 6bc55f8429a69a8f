package dev.winnow.jobs.curation.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.models.SharedPerJvm;
import dev.winnow.jobs.models.SharedScorer;
import dev.winnow.kernels.scoring.IfdScore;
import dev.winnow.kernels.scoring.InstructionDifficultyScorer;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The IFD stage: for a document whose metadata carries a (prompt, response) pair of strings, hands
 * the pair to the TaskManager's shared {@link InstructionDifficultyScorer} (batched like the
 * perplexity stage, {@link SharedScorer}) and attaches {@code meta.winnow.ifd = {ifd,
 * conditional_ppl, response_ppl, model}} (null for a response of fewer than 2 tokens). Any other
 * document is not instruction data and passes through unchanged. Runs under Flink's async I/O
 * operator, whose in-flight documents are part of every checkpoint.
 */
public class InstructionDifficultyFunction extends RichAsyncFunction<DocRecord, DocRecord> {
  private final IfdSection cfg;
  private transient SharedPerJvm.Lease<SharedScorer<InstructionDifficultyScorer.Pair, IfdScore>>
      scorer;

  public InstructionDifficultyFunction(IfdSection cfg) {
    this.cfg = cfg;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    scorer = SharedScorer.instructionPairs(cfg);
  }

  @Override
  public void asyncInvoke(DocRecord d, ResultFuture<DocRecord> out) {
    InstructionDifficultyScorer.Pair pair = pairOf(d, cfg.promptField, cfg.responseField);
    if (pair == null) {
      out.complete(List.of(d));
      return;
    }
    scorer
        .get()
        .batcher()
        .submit(pair)
        .whenComplete(
            (s, err) -> {
              if (err != null) {
                out.completeExceptionally(
                    new IllegalStateException("IFD of document " + d.id + " failed", err));
                return;
              }
              d.annotations = annotate(d.annotations, s, cfg.model);
              out.complete(List.of(d));
            });
  }

  /** The pair from the document's metadata keys, or null unless both are strings. */
  public static InstructionDifficultyScorer.Pair pairOf(
      DocRecord d, String promptField, String responseField) {
    if (d.metaJson == null) {
      return null;
    }
    try {
      JsonNode meta = DocumentJson.mapper().readTree(d.metaJson);
      JsonNode p = meta.path(promptField);
      JsonNode r = meta.path(responseField);
      return p.isTextual() && r.isTextual()
          ? new InstructionDifficultyScorer.Pair(p.asText(), r.asText())
          : null;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("document " + d.id + " has unreadable metadata", e);
    }
  }

  /** Adds {@code ifd} to a document's {@code meta.winnow} annotations. */
  public static String annotate(String annotations, IfdScore s, String model) {
    return Annotations.with(
        annotations,
        "ifd",
        o -> {
          Annotations.putFinite(o, "ifd", s.ifd());
          Annotations.putFinite(o, "conditional_ppl", s.conditionalPerplexity());
          Annotations.putFinite(o, "response_ppl", s.unconditionalPerplexity());
          o.put("model", model);
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
