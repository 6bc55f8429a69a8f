package dev.winnow.ingest.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are broken as a whole cost one entry each, and the next file is read. */
class BrokenFilesTest {
  @TempDir Path dir;

  private List<InputEntry> read(Path... files) throws IOException {
    List<InputEntry> out = new ArrayList<>();
    try (DocumentReader r = new DocumentReader(List.of(files))) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  private Path next() throws IOException {
    Path p = dir.resolve("next.jsonl");
    Files.writeString(p, "{\"id\":\"next\",\"text\":\"still read\"}\n");
    return p;
  }

  @Test
  void aParquetFileCutShortIsOneReject() throws IOException {
    Path good = dir.resolve("whole.parquet");
    ParquetFixtures.write(
        good,
        ParquetFixtures.SCHEMA,
        1 << 20,
        rows -> {
          for (int i = 0; i < 50; i++) {
            Group g = rows.newRow();
            g.add("text", "row " + i);
            rows.add(g);
          }
        });
    byte[] bytes = Files.readAllBytes(good);
    Path cut = dir.resolve("cut.parquet");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2)); // the footer is gone
    Path notParquet = dir.resolve("text.parquet");
    Files.writeString(notParquet, "this is not a parquet file at all");
    List<InputEntry> es = read(cut, notParquet, next());
    assertEquals(3, es.size(), es::toString);
    assertEquals(cut.toString(), es.get(0).location());
    assertTrue(es.get(0).error().startsWith("unreadable PARQUET file: "), es.get(0).error());
    assertTrue(es.get(1).error().startsWith("unreadable PARQUET file: "), es.get(1).error());
    assertEquals("next", es.get(2).document().id());
  }

  @Test
  void aJsonlGzCutShortKeepsItsLinesAndEndsWithOneReject() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 2000; i++) {
        gz.write(
            ("{\"id\":\"d" + i + "\",\"text\":\"document " + i + " with some words in it\"}\n")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] whole = bytes.toByteArray();
    Path cut = dir.resolve("cut.jsonl.gz");
    Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
    List<InputEntry> es = read(cut, next());
    InputEntry last = es.get(es.size() - 2);
    assertTrue(
        last.error().startsWith("the file ends in a broken or cut-off gzip stream after line "),
        last.error());
    for (InputEntry e : es.subList(0, es.size() - 2)) {
      assertTrue(e.ok(), e::error);
    }
    assertTrue(es.size() > 100, "the lines before the cut are read: " + es.size());
    assertEquals("next", es.get(es.size() - 1).document().id());
  }
}
