package dev.winnow.ingest.io;

/**
 * How {@link DocumentReader} reads the formats that need a choice.
 *
 * @param textColumn the Parquet column holding the document text (default {@code text})
 */
public record ReadOptions(String textColumn) implements java.io.Serializable {
  public static final ReadOptions DEFAULT = new ReadOptions("text");

  public ReadOptions {
    if (textColumn == null || textColumn.isBlank()) {
      throw new IllegalArgumentException(
          "illegal text column: the name of the Parquet column holding the text must not be empty");
    }
  }
}
