package dev.winnow.ingest.serde;

/** A record that is not a valid document; the message says what is wrong with it. */
public class DocumentFormatException extends Exception {
  public DocumentFormatException(String message) {
    super(message);
  }

  public DocumentFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
