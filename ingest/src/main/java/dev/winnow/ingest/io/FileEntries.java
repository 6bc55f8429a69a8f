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
}
