package dev.winnow.ingest.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * The entries of one input file, in order, as {@link InputEntry} values whose index the {@link
 * DocumentReader} assigns. {@link #next()} returns null at the end of the file. A format reader
 * returns bad entries (with their reason) instead of throwing; an {@link IOException} means the
 * file itself cannot be read.
 */
interface FileEntries extends Closeable {
  /** The next entry, with index 0 (the caller renumbers it), or null at the end. */
  InputEntry next() throws IOException;

  /** A file that is one bad entry: {@code reason} at {@code location}. */
  static FileEntries broken(String location, String reason) {
    return new FileEntries() {
      private boolean done;

      @Override
      public InputEntry next() {
        if (done) {
          return null;
        }
        done = true;
        return new InputEntry(0, location, 0, null, reason);
      }

      @Override
      public void close() {}
    };
  }

  /** An exception's class and message, for a reason. */
  static String message(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
