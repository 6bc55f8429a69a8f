package dev.winnow.kernels.tokenizer;

/** Text to token ids and back. Implementations are immutable and thread-safe. */
public interface Tokenizer {

    /** Token ids of {@code text}, with no special tokens added (no BOS/EOS). */
    int[] encode(String text);

    /** Text of {@code ids} (invalid UTF-8 byte sequences become U+FFFD). */
    String decode(int[] ids);

    /** Number of token ids, special tokens included. */
    int vocabSize();

    /** What this tokenizer is, for messages and benchmark reports (e.g. {@code r50k_base}). */
    String name();
}
