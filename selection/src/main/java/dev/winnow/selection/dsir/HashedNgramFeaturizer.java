package dev.winnow.selection.dsir;

import java.util.function.IntConsumer;
import net.openhft.hashing.LongHashFunction;

/**
 * DSIR's feature extractor: hashed unigrams and bigrams of normalized words.
 *
 * <p>Normalization: a word is a maximal run of letters, digits or combining marks ({@link
 * Character#isLetterOrDigit(int)}, {@link Character#getType(int)} NON_SPACING_MARK /
 * COMBINING_SPACING_MARK, so Devanagari and Thai words are not cut apart), lowercased with {@link
 * Character#toLowerCase(int)}; everything else (spaces, punctuation, symbols) only separates words.
 * The reference implementation tokenizes with NLTK's {@code WordPunctTokenizer}, which also keeps
 * punctuation runs as tokens; dropping them makes the features robust to the tokenized spacing of
 * some corpora ({@code word ,}) at the price of not seeing punctuation style.
 *
 * <p>Features: every word, and (with {@code maxNgram = 2}) every pair of adjacent words, hashed
 * with XXH3 ({@link LongHashFunction#xx3(long)}) into {@code [0, buckets)} as an unsigned
 * remainder. The words are written into one reused buffer separated by single spaces, so a unigram
 * hashes its chars and a bigram the chars {@code "w1 w2"} in place, without allocating a string per
 * n-gram. A unigram never contains a space, so it never hashes like a bigram.
 *
 * <p>Not thread-safe: it reuses its buffer. Use one per thread.
 */
public final class HashedNgramFeaturizer {

  private final int buckets;
  private final int maxNgram;
  private final LongHashFunction hash;
  private char[] buf = new char[1024];
  private int[] wordStart = new int[256];
  private int[] wordEnd = new int[256];

  public HashedNgramFeaturizer(DsirConfig config) {
    config.validate("dsir");
    this.buckets = config.buckets;
    this.maxNgram = config.maxNgram;
    this.hash = LongHashFunction.xx3(config.hashSeed);
  }

  /** Number of buckets. */
  public int buckets() {
    return buckets;
  }

  /**
   * Calls {@code sink} with the bucket of every feature of the text, in text order (a repeated
   * feature is reported each time it occurs); returns the number of features.
   */
  public int forEachFeature(CharSequence text, IntConsumer sink) {
    int words = normalize(text);
    for (int w = 0; w < words; w++) {
      sink.accept(bucket(wordStart[w], wordEnd[w]));
      if (maxNgram >= 2 && w + 1 < words) {
        sink.accept(bucket(wordStart[w], wordEnd[w + 1]));
      }
    }
    return words == 0 ? 0 : (maxNgram >= 2 ? 2 * words - 1 : words);
  }

  /** Adds the text's feature counts to {@code counts} (length {@link #buckets()}). */
  public void addCounts(CharSequence text, long[] counts) {
    forEachFeature(text, b -> counts[b]++);
  }

  /** Number of normalized words of the text. */
  public int countWords(CharSequence text) {
    return normalize(text);
  }

  private int bucket(int from, int to) {
    return (int) Long.remainderUnsigned(hash.hashChars(buf, from, to - from), buckets);
  }

  /** Writes the lowercased words into {@code buf}, one space apart; fills the word bounds. */
  private int normalize(CharSequence text) {
    int n = 0;
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = Character.codePointAt(text, i);
      i += Character.charCount(cp);
      if (isWordChar(cp)) {
        if (!inWord) {
          if (words == wordStart.length) {
            wordStart = java.util.Arrays.copyOf(wordStart, words * 2);
            wordEnd = java.util.Arrays.copyOf(wordEnd, words * 2);
          }
          if (words > 0) {
            n = put(n, ' ');
          }
          wordStart[words] = n;
          inWord = true;
        }
        int lower = Character.toLowerCase(cp);
        if (Character.isBmpCodePoint(lower)) {
          n = put(n, (char) lower);
        } else {
          n = put(n, Character.highSurrogate(lower));
          n = put(n, Character.lowSurrogate(lower));
        }
      } else if (inWord) {
        wordEnd[words++] = n;
        inWord = false;
      }
    }
    if (inWord) {
      wordEnd[words++] = n;
    }
    return words;
  }

  private int put(int n, char c) {
    if (n == buf.length) {
      buf = java.util.Arrays.copyOf(buf, n * 2);
    }
    buf[n] = c;
    return n + 1;
  }

  private static boolean isWordChar(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }
}
