package dev.winnow.ingest.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes Parquet files for tests with parquet-java's example writer. The writer's builder has
 * overloads that take Hadoop types, so compiling this needs {@code hadoop-client-api} (a test
 * dependency); surefire leaves it off the tests' class path, so writing and reading run without
 * Hadoop, as the product does.
 */
public final class ParquetFixtures {
  /** A schema like a published text data set's: strings, numbers, a list column. */
  public static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message doc {"
              + " optional binary id (STRING);"
              + " optional binary text (STRING);"
              + " optional binary url (STRING);"
              + " optional int64 token_count;"
              + " optional double score;"
              + " optional boolean english;"
              + " optional group tags (LIST) { repeated group list { optional binary element (STRING); } }"
              + "}");

  private ParquetFixtures() {}

  /**
   * Writes rows with {@code rowGroupBytes} as the row-group size (small values give many row
   * groups).
   */
  public static void write(Path file, MessageType schema, int rowGroupBytes, Consumer<Rows> rows)
      throws IOException {
    write(file, schema, CompressionCodecName.ZSTD, rowGroupBytes, rows);
  }

  public static void write(
      Path file,
      MessageType schema,
      CompressionCodecName codec,
      int rowGroupBytes,
      Consumer<Rows> rows)
      throws IOException {
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withConf(new PlainParquetConfiguration())
            .withCodecFactory(ParquetCodecs.INSTANCE)
            .withType(schema)
            .withCompressionCodec(codec)
            .withRowGroupSize(rowGroupBytes)
            .withPageSize(Math.min(rowGroupBytes, 1 << 20))
            .build()) {
      Rows r = new Rows(w, new SimpleGroupFactory(schema));
      rows.accept(r);
    }
  }

  /** Adds rows. */
  public static final class Rows {
    private final ParquetWriter<Group> writer;
    private final SimpleGroupFactory groups;

    Rows(ParquetWriter<Group> writer, SimpleGroupFactory groups) {
      this.writer = writer;
      this.groups = groups;
    }

    public Group newRow() {
      return groups.newGroup();
    }

    public void add(Group g) {
      try {
        writer.write(g);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
