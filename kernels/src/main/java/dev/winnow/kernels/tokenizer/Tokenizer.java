package dev.winnow.kernels.tokenizer;

/** Text to token ids and back. Implementations are immutable and thread-safe. */
public interface Tokenizer {

  /** Token ids of {@code text}, with no special tokens added (no BOS/EOS). */
  int[] encode(String text);

  /** Text of {@code ids} (invalid UTF-8 byte sequences become U+FFFD). */
  String decode(int[] ids);

  /**
   * The UTF-8 bytes token {@code id} stands for (an added/special token: its text). Byte-level
   * tokens may hold part of a character: concatenating the bytes of a sequence gives its text.
   */
  byte[] tokenBytes(int id);

  /** Number of token ids, special tokens included. */
  int vocabSize();

  /** What this tokenizer is, for messages and benchmark reports (e.g. {@code r50k_base}). */
  String name();
}
