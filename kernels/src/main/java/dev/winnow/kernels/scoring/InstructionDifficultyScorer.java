package dev.winnow.kernels.scoring;

import dev.winnow.kernels.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Instruction-following difficulty (IFD, Li et al. 2024 "From Quantity to Quality", "Cherry LLM"):
 * {@code IFD = PPL(response | prompt) / PPL(response)}, scored with a proxy model as in
 * Superfiltering (Li et al. 2024), which found that a small model's IFD ranks instruction data
 * about as well as a large model's.
 *
 * <p>Following the reference code ({@code get_perplexity_and_embedding_part_text}): the prompt and
 * the response are tokenized apart and concatenated; the conditional NLL is the mean over all
 * response tokens given the prompt (and the response tokens before), the unconditional NLL the mean
 * over the response alone, whose first token is unscored. Too long a pair is cut to the context
 * length: the response keeps its first {@code context − 1} tokens at most, the prompt its last
 * tokens that still fit (the end of a prompt is what the response follows). An empty prompt gives
 * IFD computed over the same tokens as the unconditional score, i.e. exactly 1.
 *
 * <pre>{@code
 * InstructionDifficultyScorer ifd = new InstructionDifficultyScorer(engine, model.requireTokenizer());
 * double v = ifd.score("Translate to French: good morning", "bonjour").ifd();
 * }</pre>
 */
public final class InstructionDifficultyScorer {
  private final ScoringEngine engine;
  private final Tokenizer tokenizer;
  private final int maxBatchTokens;

  public InstructionDifficultyScorer(ScoringEngine engine, Tokenizer tokenizer) {
    this(engine, tokenizer, DocumentScorer.DEFAULT_BATCH_TOKENS);
  }

  public InstructionDifficultyScorer(
      ScoringEngine engine, Tokenizer tokenizer, int maxBatchTokens) {
    if (maxBatchTokens < engine.contextLength()) {
      throw new IllegalArgumentException(
          "illegal maxBatchTokens "
              + maxBatchTokens
              + ": must be at least the context length "
              + engine.contextLength());
    }
    this.engine = engine;
    this.tokenizer = tokenizer;
    this.maxBatchTokens = maxBatchTokens;
  }

  /** A prompt and its response. */
  public record Pair(String prompt, String response) {
    public Pair {
      if (prompt == null || response == null) {
        throw new IllegalArgumentException(
            "an instruction pair needs a prompt and a response (empty is allowed, null is not)");
      }
    }
  }

  public IfdScore score(String prompt, String response) {
    return scoreAll(List.of(new Pair(prompt, response))).get(0);
  }

  /** Scores pairs, in order, batching both sequences of every pair into engine calls. */
  public List<IfdScore> scoreAll(List<Pair> pairs) {
    int context = engine.contextLength();
    List<int[]> sequences = new ArrayList<>(2 * pairs.size());
    int[][] lengths = new int[pairs.size()][2];
    for (int i = 0; i < pairs.size(); i++) {
      int[] p = tokenizer.encode(pairs.get(i).prompt());
      int[] r = tokenizer.encode(pairs.get(i).response());
      if (r.length > context - 1) {
        r = Arrays.copyOf(r, context - 1);
      }
      int keepPrompt = Math.min(p.length, context - r.length);
      p = Arrays.copyOfRange(p, p.length - keepPrompt, p.length);
      int[] joined = Arrays.copyOf(p, p.length + r.length);
      System.arraycopy(r, 0, joined, p.length, r.length);
      sequences.add(joined);
      sequences.add(r);
      lengths[i][0] = p.length;
      lengths[i][1] = r.length;
    }
    List<TokenLogProbs> scored = scoreBatched(sequences);
    List<IfdScore> out = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      int p = lengths[i][0];
      int r = lengths[i][1];
      float[] joined = scored.get(2 * i).logProbs();
      // logProbs[t - 1] scores token t; response tokens are t = p .. p + r − 1, of which t >= 1
      // have one
      double cond = 0;
      int condCount = 0;
      for (int t = Math.max(p, 1); t < p + r; t++) {
        cond -= joined[t - 1];
        condCount++;
      }
      double uncond = Perplexity.meanNll(scored.get(2 * i + 1).logProbs());
      out.add(new IfdScore(p, r, condCount == 0 ? Double.NaN : cond / condCount, uncond));
    }
    return out;
  }

  private List<TokenLogProbs> scoreBatched(List<int[]> sequences) {
    List<TokenLogProbs> out = new ArrayList<>(sequences.size());
    List<int[]> batch = new ArrayList<>();
    int tokens = 0;
    for (int[] s : sequences) {
      if (s.length == 0) {
        // nothing to run: an empty sequence has no log-probabilities
        flush(batch, out);
        tokens = 0;
        out.add(new TokenLogProbs(s, new float[0], new int[0]));
        continue;
      }
      if (tokens + s.length > maxBatchTokens) {
        flush(batch, out);
        tokens = 0;
      }
      batch.add(s);
      tokens += s.length;
    }
    flush(batch, out);
    return out;
  }

  private void flush(List<int[]> batch, List<TokenLogProbs> out) {
    if (!batch.isEmpty()) {
      out.addAll(engine.score(batch));
      batch.clear();
    }
  }
}
