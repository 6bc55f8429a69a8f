package dev.winnow.kernels.fold;

import dev.winnow.kernels.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Calibration text as fixed-length token sequences: the documents' tokens concatenated in order and
 * cut into sequences of {@code length} (the tail shorter than a sequence is dropped), the usual
 * packing of language-model training data.
 */
public final class TokenBatches {
  private final List<int[]> sequences;
  private final int length;

  private TokenBatches(List<int[]> sequences, int length) {
    this.sequences = sequences;
    this.length = length;
  }

  /** Tokenizes {@code texts} and packs them into sequences of {@code length} tokens. */
  public static TokenBatches pack(List<String> texts, Tokenizer tokenizer, int length) {
    List<int[]> out = new ArrayList<>();
    int[] current = new int[length];
    int filled = 0;
    for (String text : texts) {
      for (int id : tokenizer.encode(text)) {
        current[filled++] = id;
        if (filled == length) {
          out.add(current);
          current = new int[length];
          filled = 0;
        }
      }
    }
    return new TokenBatches(out, length);
  }

  /** Number of sequences. */
  public int size() {
    return sequences.size();
  }

  /** Tokens per sequence. */
  public int length() {
    return length;
  }

  /** Tokens in all sequences. */
  public long tokens() {
    return (long) sequences.size() * length;
  }

  /**
   * The first sequences holding at most {@code tokens} tokens (at least one), as batches of {@code
   * batch} sequences (the last may be smaller): the fixed set the analysis measures on.
   */
  public List<int[][]> head(long tokens, int batch) {
    int count = (int) Math.max(1, Math.min(sequences.size(), tokens / length));
    return batches(sequences.subList(0, count), batch);
  }

  /**
   * {@code steps} training batches of {@code batch} sequences, drawn in epochs: each epoch a seeded
   * shuffle of all sequences.
   */
  public List<int[][]> training(int steps, int batch, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<int[]> order = new ArrayList<>();
    List<int[][]> out = new ArrayList<>(steps);
    int next = 0;
    for (int s = 0; s < steps; s++) {
      int[][] b = new int[batch][];
      for (int i = 0; i < batch; i++) {
        if (next == order.size()) {
          order = new ArrayList<>(sequences);
          for (int j = order.size() - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            int[] t = order.get(j);
            order.set(j, order.get(k));
            order.set(k, t);
          }
          next = 0;
        }
        b[i] = order.get(next++);
      }
      out.add(b);
    }
    return out;
  }

  private static List<int[][]> batches(List<int[]> seqs, int batch) {
    List<int[][]> out = new ArrayList<>();
    for (int i = 0; i < seqs.size(); i += batch) {
      out.add(seqs.subList(i, Math.min(seqs.size(), i + batch)).toArray(new int[0][]));
    }
    return out;
  }
}
