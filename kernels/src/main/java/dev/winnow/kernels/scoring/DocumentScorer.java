package dev.winnow.kernels.scoring;

import dev.winnow.kernels.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores whole documents: tokenizes, scores in windows when a document is longer than the model's
 * context, and sums the negative log-likelihood of every token but the first.
 *
 * <p>Windows (the strided evaluation of Hugging Face's perplexity guide): a document of {@code n}
 * tokens no longer than the window {@code W} is one sequence. A longer one is cut into windows
 * starting at {@code 0, S, 2S, ...} ({@code S} = stride), each up to {@code W} tokens, the last
 * ending at {@code n}; the first window scores its tokens {@code 1..W−1}, every later window only
 * the tokens that no earlier window scored, so each token {@code 1..n−1} is scored exactly once
 * and, after the first window, with at least {@code W − S} tokens of context. Defaults: {@code W} =
 * the context length, {@code S = W/2}.
 *
 * <p>Windows of many documents are batched into one {@link ScoringEngine#score} call of up to
 * {@code maxBatchTokens} tokens.
 *
 * <pre>{@code
 * DocumentScorer scorer = new DocumentScorer(engine, model.requireTokenizer());
 * DocumentScore s = scorer.score(text);   // s.tokens(), s.meanNll(), s.perplexity()
 * }</pre>
 */
public final class DocumentScorer {
  /** Default upper bound on tokens per engine call. */
  public static final int DEFAULT_BATCH_TOKENS = 4096;

  private final ScoringEngine engine;
  private final Tokenizer tokenizer;
  private final int window;
  private final int stride;
  private final int maxBatchTokens;

  /** Window = the engine's context length, stride = half of it. */
  public DocumentScorer(ScoringEngine engine, Tokenizer tokenizer) {
    this(
        engine,
        tokenizer,
        engine.contextLength(),
        engine.contextLength() / 2,
        DEFAULT_BATCH_TOKENS);
  }

  public DocumentScorer(
      ScoringEngine engine, Tokenizer tokenizer, int window, int stride, int maxBatchTokens) {
    if (window < 2 || window > engine.contextLength()) {
      throw new IllegalArgumentException(
          "illegal window "
              + window
              + ": must be 2 to the context length "
              + engine.contextLength());
    }
    if (stride < 1 || stride >= window) {
      throw new IllegalArgumentException(
          "illegal stride " + stride + ": must be 1 to window − 1 (" + (window - 1) + ")");
    }
    if (maxBatchTokens < window) {
      throw new IllegalArgumentException(
          "illegal maxBatchTokens " + maxBatchTokens + ": must be at least the window " + window);
    }
    this.engine = engine;
    this.tokenizer = tokenizer;
    this.window = window;
    this.stride = stride;
    this.maxBatchTokens = maxBatchTokens;
  }

  /** Scores one text. */
  public DocumentScore score(String text) {
    return scoreAll(List.of(text)).get(0);
  }

  /** Scores texts, in order, batching their windows. */
  public List<DocumentScore> scoreAll(List<String> texts) {
    List<int[]> tokens = new ArrayList<>(texts.size());
    int[] words = new int[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      tokens.add(tokenizer.encode(texts.get(i)));
      words[i] = Perplexity.countWords(texts.get(i));
    }
    return scoreTokens(tokens, words);
  }

  /**
   * Scores token sequences; {@code words[i]} is reported with document {@code i} (may be all 0).
   */
  public List<DocumentScore> scoreTokens(List<int[]> documents, int[] words) {
    double[] nll = new double[documents.size()];
    List<int[]> batch = new ArrayList<>();
    List<int[]> batchMeta = new ArrayList<>(); // {document, window start, first scored index}
    int batchTokens = 0;
    for (int d = 0; d < documents.size(); d++) {
      int[] doc = documents.get(d);
      for (Window w : windows(doc.length, window, stride)) {
        int length = w.end() - w.start();
        if (batchTokens + length > maxBatchTokens) {
          flush(batch, batchMeta, nll);
          batchTokens = 0;
        }
        batch.add(java.util.Arrays.copyOfRange(doc, w.start(), w.end()));
        batchMeta.add(new int[] {d, w.start(), w.firstScored()});
        batchTokens += length;
      }
    }
    flush(batch, batchMeta, nll);
    List<DocumentScore> out = new ArrayList<>(documents.size());
    for (int d = 0; d < documents.size(); d++) {
      int n = documents.get(d).length;
      out.add(new DocumentScore(n, Math.max(0, n - 1), nll[d], words[d]));
    }
    return out;
  }

  private void flush(List<int[]> batch, List<int[]> meta, double[] nll) {
    if (batch.isEmpty()) {
      return;
    }
    List<TokenLogProbs> scores = engine.score(batch);
    for (int i = 0; i < batch.size(); i++) {
      int[] m = meta.get(i);
      float[] lp = scores.get(i).logProbs();
      // token t of the document is logProbs[t - start - 1] of its window
      for (int t = m[2]; t < m[1] + batch.get(i).length; t++) {
        nll[m[0]] -= lp[t - m[1] - 1];
      }
    }
    batch.clear();
    meta.clear();
  }

  /**
   * A window {@code [start, end)} of a document, scoring its tokens from {@code firstScored} to
   * {@code end − 1}.
   */
  public record Window(int start, int end, int firstScored) {}

  /** The windows of a document of {@code n} tokens (none when {@code n < 2}, nothing to score). */
  public static List<Window> windows(int n, int window, int stride) {
    List<Window> out = new ArrayList<>();
    if (n < 2) {
      return out;
    }
    int scoredUntil = 1; // tokens [1, scoredUntil) are scored
    for (int start = 0; ; start += stride) {
      int end = Math.min(n, start + window);
      out.add(new Window(start, end, Math.max(scoredUntil, start + 1)));
      scoredUntil = end;
      if (end == n) {
        return out;
      }
    }
  }
}
