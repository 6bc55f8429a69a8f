package dev.winnow.jobs.curation.files;

import java.io.IOException;
import java.io.Serializable;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * Part files of JSON lines, gzip-compressed, for Flink's {@code FileSink}: each element is
 * serialized to one line. The gzip stream is finished (trailer written) when the sink rolls the
 * part file; the underlying stream is left to the sink to close, as {@link BulkWriter} requires.
 */
public final class GzipJsonLines<T> implements BulkWriter.Factory<T> {
  private static final long serialVersionUID = 1L;

  /** How an element becomes its line's bytes (no newline). */
  public interface Serializer<T> extends Function<T, byte[]>, Serializable {}

  private final Serializer<T> serializer;

  public GzipJsonLines(Serializer<T> serializer) {
    this.serializer = serializer;
  }

  @Override
  public BulkWriter<T> create(FSDataOutputStream out) throws IOException {
    GZIPOutputStream gz =
        new GZIPOutputStream(out, 1 << 16, true) {
          {
            def.setLevel(Deflater.DEFAULT_COMPRESSION);
          }
        };
    return new BulkWriter<>() {
      @Override
      public void addElement(T element) throws IOException {
        gz.write(serializer.apply(element));
        gz.write('\n');
      }

      @Override
      public void flush() throws IOException {
        gz.flush();
      }

      @Override
      public void finish() throws IOException {
        gz.finish();
        out.flush();
      }
    };
  }
}
