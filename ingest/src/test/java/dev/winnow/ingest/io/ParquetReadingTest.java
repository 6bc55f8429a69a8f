package dev.winnow.ingest.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.ingest.Document;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetReadingTest {
  @TempDir Path dir;

  static List<InputEntry> read(ReadOptions options, Path... files) throws IOException {
    List<InputEntry> out = new ArrayList<>();
    try (DocumentReader r = new DocumentReader(List.of(files), options)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void rowsBecomeDocumentsAcrossManyRowGroups() throws IOException {
    Path file = dir.resolve("shard-00000.parquet");
    int n = 3000;
    ParquetFixtures.write(
        file,
        ParquetFixtures.SCHEMA,
        16 * 1024, // many row groups
        rows -> {
          for (int i = 0; i < n; i++) {
            Group g = rows.newRow();
            g.add("id", "doc-" + i);
            if (i == 17) {
              // null text: a reject
            } else if (i == 18) {
              g.add("text", "");
            } else {
              g.add(
                  "text", "Document number " + i + " has some text that is long enough to count.");
            }
            g.add("url", "https://example.org/" + i);
            g.add("token_count", (long) (10 + i));
            if (i % 2 == 0) {
              g.add("score", i / 10.0);
            }
            g.add("english", i % 3 != 0);
            Group tags = g.addGroup("tags");
            tags.addGroup("list").add("element", "t" + i);
            rows.add(g);
          }
        });
    List<InputEntry> es = read(ReadOptions.DEFAULT, file);
    assertEquals(n, es.size());
    for (int i = 0; i < n; i++) {
      InputEntry e = es.get(i);
      assertEquals(i, e.index());
      assertEquals(file + ":row " + (i + 1), e.location());
      if (i == 17 || i == 18) {
        assertEquals("no text: column 'text' is null or empty", e.error());
        continue;
      }
      assertTrue(e.ok(), e::error);
      Document d = e.document();
      assertEquals("doc-" + i, d.id());
      assertEquals(
          "Document number " + i + " has some text that is long enough to count.", d.text());
      assertNull(d.source());
      assertEquals("https://example.org/" + i, d.meta().get("url"));
      assertEquals(10L + i, d.meta().get("token_count"));
      assertEquals(i % 2 == 0 ? i / 10.0 : null, d.meta().get("score"));
      assertEquals(i % 3 != 0, d.meta().get("english"));
      assertFalse(d.meta().containsKey("tags"), "list columns are not meta");
      assertFalse(d.meta().containsKey("id"));
    }
  }

  @Test
  void theTextColumnIsConfigurableAndItsAbsenceIsOneRejectNamingTheColumns() throws IOException {
    Path file = dir.resolve("content.parquet");
    var schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { required binary content (STRING); optional binary source (STRING); optional int32 year; }");
    ParquetFixtures.write(
        file,
        schema,
        1 << 20,
        rows -> {
          Group g = rows.newRow();
          g.add("content", "Text in a column called content.");
          g.add("source", "books");
          g.add("year", 1999);
          rows.add(g);
        });
    List<InputEntry> es = read(new ReadOptions("content"), file);
    assertEquals(1, es.size());
    Document d = es.get(0).document();
    assertEquals("Text in a column called content.", d.text());
    assertEquals("books", d.source());
    assertEquals(Map.of("year", 1999), d.meta());
    assertTrue(d.id().startsWith("h"), d.id()); // no id column: the content hash

    List<InputEntry> missing = read(ReadOptions.DEFAULT, file);
    assertEquals(1, missing.size());
    assertEquals(
        "no scalar column 'text' in the Parquet schema (columns: content, source, year); name the"
            + " text column with --text-column",
        missing.get(0).error());
    assertEquals(file.toString(), missing.get(0).location());
  }

  @Test
  void invalidUtf8TextIsARejectAndTheRunGoesOn() throws IOException {
    Path file = dir.resolve("bad.parquet");
    var schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { required binary text; }");
    ParquetFixtures.write(
        file,
        schema,
        1 << 20,
        rows -> {
          Group bad = rows.newRow();
          bad.add("text", Binary.fromConstantByteArray(new byte[] {'a', (byte) 0xff, 'b'}));
          rows.add(bad);
          Group ok = rows.newRow();
          ok.add("text", "fine");
          rows.add(ok);
        });
    List<InputEntry> es = read(ReadOptions.DEFAULT, file);
    assertEquals("text is not valid UTF-8", es.get(0).error());
    assertEquals("fine", es.get(1).document().text());
  }

  @Test
  void everyCommonCodecReadsWithoutHadoopOnTheClassPath() throws IOException {
    assertThrows(
        ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"));
    var schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { required binary text (STRING); }");
    for (CompressionCodecName codec :
        List.of(
            CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY,
            CompressionCodecName.ZSTD,
            CompressionCodecName.GZIP,
            CompressionCodecName.LZ4_RAW)) {
      Path file = dir.resolve(codec + ".parquet");
      ParquetFixtures.write(
          file,
          schema,
          codec,
          8 * 1024,
          rows -> {
            for (int i = 0; i < 500; i++) {
              Group g = rows.newRow();
              g.add("text", "row " + i + " of a file compressed with " + codec);
              rows.add(g);
            }
          });
      List<InputEntry> es = read(ReadOptions.DEFAULT, file);
      assertEquals(500, es.size(), codec::toString);
      assertEquals("row 499 of a file compressed with " + codec, es.get(499).document().text());
    }
  }

  @Test
  void blankTextColumnNameIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ReadOptions(" "));
    assertTrue(e.getMessage().contains("text column"));
  }
}
