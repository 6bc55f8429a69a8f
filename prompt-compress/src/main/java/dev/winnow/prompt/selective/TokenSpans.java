package dev.winnow.prompt.selective;

import dev.winnow.prompt.model.ProxyLm;
import java.util.Arrays;

/**
 * Where each token of a text starts in the text's characters, so that decisions taken on tokens can
 * be applied to characters without cutting a UTF-8 character: a byte-level token that holds only
 * part of a character is grouped with the tokens that complete it, and every token of the group
 * gets the group's start.
 */
final class TokenSpans {
  /** Longest run of tokens one character may need (four UTF-8 bytes, plus slack). */
  private static final int MAX_GROUP = 8;

  private TokenSpans() {}

  /**
   * Start offsets, one per token, non-decreasing. Where the tokenizer does not give the text back
   * (a normalizing tokenizer), the remaining tokens all start where alignment was lost, so they
   * count toward the unit found there.
   */
  static int[] starts(ProxyLm lm, int[] ids, String text) {
    int[] starts = new int[ids.length];
    int pos = 0;
    int i = 0;
    while (i < ids.length) {
      int j = i + 1;
      String piece = null;
      for (; j <= Math.min(ids.length, i + MAX_GROUP); j++) {
        String s = lm.decode(Arrays.copyOfRange(ids, i, j));
        if (s.indexOf('\uFFFD') < 0 || text.startsWith(s, pos)) {
          piece = s;
          break;
        }
      }
      if (piece == null || !text.startsWith(piece, pos)) {
        Arrays.fill(starts, i, ids.length, pos);
        return starts;
      }
      Arrays.fill(starts, i, j, pos);
      pos += piece.length();
      i = j;
    }
    return starts;
  }
}
