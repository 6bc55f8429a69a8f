package dev.winnow.kernels.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * OpenAI's tiktoken encodings through JTokkit: {@code r50k_base} (GPT-2's vocabulary, 50,257 ids)
 * and {@code cl100k_base} (for counting tokens as GPT-3.5/4 do). Special tokens in the text are
 * encoded as ordinary text.
 */
public final class TiktokenTokenizer implements Tokenizer {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private final Encoding encoding;
  private final int vocabSize;

  private TiktokenTokenizer(EncodingType type, int vocabSize) {
    this.encoding = REGISTRY.getEncoding(type);
    this.vocabSize = vocabSize;
  }

  /** GPT-2's {@code r50k_base}. */
  public static TiktokenTokenizer r50kBase() {
    return new TiktokenTokenizer(EncodingType.R50K_BASE, 50257);
  }

  /** {@code cl100k_base}. */
  public static TiktokenTokenizer cl100kBase() {
    return new TiktokenTokenizer(EncodingType.CL100K_BASE, 100277);
  }

  @Override
  public int[] encode(String text) {
    return encoding.encodeOrdinary(text).toArray();
  }

  /** Number of tokens of {@code text}, without materializing the ids. */
  public int countTokens(String text) {
    return encoding.countTokensOrdinary(text);
  }

  @Override
  public String decode(int[] ids) {
    IntArrayList list = new IntArrayList(ids.length);
    for (int id : ids) {
      list.add(id);
    }
    return encoding.decode(list);
  }

  @Override
  public byte[] tokenBytes(int id) {
    IntArrayList list = new IntArrayList(1);
    list.add(id);
    return encoding.decodeBytes(list);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public String name() {
    return encoding.getName();
  }
}
