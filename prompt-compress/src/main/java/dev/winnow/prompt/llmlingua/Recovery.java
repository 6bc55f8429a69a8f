package dev.winnow.prompt.llmlingua;

import dev.winnow.prompt.model.ProxyLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LongLLMLingua's response recovery ({@code recover} of LLMLingua v0.2.2): an answer written from a
 * compressed prompt may quote it ("St Kitt andis"); each such quote is replaced by the stretch of
 * the original prompt it came from ("St Kitts and Nevis").
 *
 * <p>The response is split on single spaces. Starting at a word found (as a substring) in the
 * compressed prompt, the span grows word by word while it is still a substring of it. The span is
 * then tokenized and matched in the original prompt's tokens: from every occurrence of its first
 * token, each following token is taken at its next occurrence after the last match if that lies at
 * most {@value #MAX_GAP} tokens further (binary search in the token's sorted positions), else it is
 * skipped. The start with the most matched tokens wins, ties going to the shortest stretch, then
 * the earliest; the stretch is decoded and replaces the span. A span whose first token never occurs
 * in the original (or that has no tokens) is left as it is; otherwise it is replaced, even where
 * only its first token matched (then by that token's first occurrence). The pieces are joined with
 * single spaces.
 *
 * <p>{@link #reference(ProxyLm)} does exactly that. With a byte-level tokenizer (GPT-2, Llama 3) a
 * span tokenized alone starts with a token without its leading space, which mid-text occurs rarely
 * in the original, so most quotes are not recovered; the reference was written for LLaMA's
 * SentencePiece, which adds a word-initial marker and drops it again when decoding. {@link
 * #wordAware(ProxyLm)} does what that amounts to: it also tries the span with a leading space,
 * keeps the better match (more tokens, then shorter) and strips leading spaces from the recovered
 * text.
 */
public final class Recovery {
  /** Most tokens between two consecutive matched tokens in the original. */
  public static final int MAX_GAP = 10;

  private final ProxyLm lm;
  private final boolean wordAware;

  private Recovery(ProxyLm lm, boolean wordAware) {
    this.lm = lm;
    this.wordAware = wordAware;
  }

  /** LLMLingua's {@code recover}, token for token. */
  public static Recovery reference(ProxyLm lm) {
    return new Recovery(lm, false);
  }

  /** The same, adapted to tokenizers without a word-initial marker (see the class comment). */
  public static Recovery wordAware(ProxyLm lm) {
    return new Recovery(lm, true);
  }

  /**
   * The response with the spans it quotes from {@code compressedPrompt} restored from {@code
   * originalPrompt}.
   */
  public String recover(String originalPrompt, String compressedPrompt, String response) {
    String[] words = response.split(" ", -1);
    int[] original = lm.encode(originalPrompt);
    Map<Integer, int[]> positions = positions(original);
    List<String> out = new ArrayList<>();
    int l = 0;
    while (l < words.length) {
      if (!compressedPrompt.contains(words[l])) {
        out.add(words[l]);
        l++;
        continue;
      }
      int r = l;
      while (r + 1 < words.length && compressedPrompt.contains(join(words, l, r + 2))) {
        r++;
      }
      out.add(match(join(words, l, r + 1), original, positions));
      l = r + 1;
    }
    return String.join(" ", out);
  }

  private static String join(String[] words, int from, int to) {
    return String.join(" ", Arrays.asList(words).subList(from, to));
  }

  /** Sorted positions of every token id in {@code ids}. */
  private static Map<Integer, int[]> positions(int[] ids) {
    Map<Integer, List<Integer>> lists = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      lists.computeIfAbsent(ids[i], k -> new ArrayList<>()).add(i);
    }
    Map<Integer, int[]> out = new HashMap<>();
    lists.forEach((id, list) -> out.put(id, list.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  private record Match(int start, int end, int count) {}

  private String match(String span, int[] original, Map<Integer, int[]> positions) {
    Match best = bestMatch(lm.encode(span), positions);
    if (wordAware) {
      Match spaced = bestMatch(lm.encode(" " + span), positions);
      if (spaced != null
          && (best == null
              || spaced.count > best.count
              || (spaced.count == best.count
                  && spaced.end - spaced.start < best.end - best.start))) {
        best = spaced;
      }
    }
    if (best == null) {
      return span;
    }
    String recovered = lm.decode(Arrays.copyOfRange(original, best.start, best.end));
    return wordAware ? recovered.replaceFirst("^ +", "") : recovered;
  }

  /**
   * The reference's greedy match of {@code tokens} in the original, or null (also for no tokens).
   */
  private static Match bestMatch(int[] tokens, Map<Integer, int[]> positions) {
    if (tokens.length == 0) {
      return null;
    }
    int[] none = new int[0];
    Match best = null;
    int bestCount = 1;
    int bestLength = Integer.MAX_VALUE;
    for (int start : positions.getOrDefault(tokens[0], none)) {
      int y = start;
      int count = 1;
      for (int x = 1; x < tokens.length; x++) {
        int[] at = positions.getOrDefault(tokens[x], none);
        int idx = upperBound(at, y);
        if (idx >= at.length || at[idx] - y > MAX_GAP) {
          continue;
        }
        count++;
        y = at[idx];
      }
      int length = y - start + 1;
      if (count > bestCount || (count == bestCount && length < bestLength)) {
        bestCount = count;
        bestLength = length;
        best = new Match(start, y + 1, count);
      }
    }
    return best;
  }

  /** {@code bisect.bisect_right}: the first index whose value is greater than {@code key}. */
  private static int upperBound(int[] sorted, int key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
