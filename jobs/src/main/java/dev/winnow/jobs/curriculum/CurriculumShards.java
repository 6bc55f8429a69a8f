package dev.winnow.jobs.curriculum;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.Annotations;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The file output of a curriculum: documents in rank order into {@code stage-SS-NNNNN.jsonl} shards
 * (a new shard per stage and every {@code shardSize} records) and, at the end, {@code
 * manifest.json}: document count, measure, competence, c0, per stage its cumulative competence,
 * size and min/max difficulty, and the shards in order. Old {@code stage-*.jsonl} files in the
 * directory are deleted first, so the directory holds one curriculum.
 */
final class CurriculumShards implements Closeable {
  private final Path dir;
  private final int shardSize;
  private final long[] perStage;
  private final double[] min;
  private final double[] max;
  private final List<String> shards = new ArrayList<>();
  private BufferedWriter out;
  private long inShard;
  private int shardStage = -1;
  private int shardIndex;

  CurriculumShards(Path dir, int shardSize, int stages) throws IOException {
    this.dir = dir;
    this.shardSize = shardSize;
    this.perStage = new long[stages];
    this.min = new double[stages];
    this.max = new double[stages];
    Arrays.fill(min, Double.NaN);
    Arrays.fill(max, Double.NaN);
    Files.createDirectories(dir);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "stage-*.jsonl")) {
      for (Path p : old) {
        Files.delete(p);
      }
    }
  }

  /** Appends the next document in rank order. */
  void write(int stage, double difficulty, byte[] json) throws IOException {
    if (out == null || stage != shardStage || inShard == shardSize) {
      if (out != null) {
        out.close();
      }
      shardIndex = stage != shardStage ? 0 : shardIndex + 1;
      shardStage = stage;
      String name = String.format("stage-%02d-%05d.jsonl", stage, shardIndex);
      shards.add(name);
      out = Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
      inShard = 0;
    }
    out.write(new String(json, StandardCharsets.UTF_8));
    out.newLine();
    inShard++;
    perStage[stage]++;
    if (!Double.isNaN(difficulty)) {
      min[stage] = Double.isNaN(min[stage]) ? difficulty : Math.min(min[stage], difficulty);
      max[stage] = Double.isNaN(max[stage]) ? difficulty : Math.max(max[stage], difficulty);
    }
  }

  /** Closes the last shard and writes {@code manifest.json}. */
  void finish(
      long documents, String measure, String competence, double c0, double[] stageCompetence)
      throws IOException {
    close();
    ObjectNode manifest = DocumentJson.mapper().createObjectNode();
    manifest.put("documents", documents);
    manifest.put("measure", measure);
    manifest.put("competence", competence);
    manifest.put("c0", c0);
    ArrayNode st = manifest.putArray("stages");
    for (int s = 0; s < perStage.length; s++) {
      ObjectNode o = st.addObject();
      o.put("stage", s);
      o.put("competence", stageCompetence[s]);
      o.put("documents", perStage[s]);
      Annotations.putFinite(o, "min_difficulty", min[s]);
      Annotations.putFinite(o, "max_difficulty", max[s]);
    }
    ArrayNode sh = manifest.putArray("shards");
    shards.forEach(sh::add);
    DocumentJson.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("manifest.json").toFile(), manifest);
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
