package dev.winnow.selection.dedup;

/**
 * A stable document id derived from content, for input documents that arrive without one.
 *
 * <p>The id is the first 16 hex digits (the high 64 bits) of the xx128 hash of the UTF-8 bytes of
 * the text <em>exactly as received</em> (not normalized), i.e. the first half of
 * {@link ExactDedupKey#of(String)} applied to the raw text. Hashing the raw text means two inputs that
 * differ only in whitespace still get distinct ids, so each input document stays traceable, while
 * exact dedup (on the normalized text) still finds them to be duplicates. 64 bits make an accidental
 * collision unlikely below billions of documents (birthday bound about 2<sup>32</sup>).
 */
public final class ContentId {

    private ContentId() {
    }

    /** The 16-hex-digit content id of {@code text}. */
    public static String of(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text to derive a content id from must not be null");
        }
        return ExactDedupKey.toHex(new long[] {ExactDedupKey.hash128(text)[0]});
    }
}
