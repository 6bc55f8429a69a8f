package dev.winnow.jobs.curation.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.ingest.io.ReadOptions;
import dev.winnow.jobs.curation.CurationConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCurationJobTest {
  @Test
  void partFilesRollAtTheirSizeAndTogetherHoldEveryRecordOnce(@TempDir Path dir) throws Exception {
    Random rnd = new Random(3);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 40; w++) {
        text.append("w").append(rnd.nextInt(100_000)).append(' ');
      }
      lines.add("{\"id\":\"d" + i + "\",\"text\":\"" + text.toString().strip() + ".\"}");
    }
    Path in = dir.resolve("in.jsonl");
    Files.write(in, lines, StandardCharsets.UTF_8);
    CurationConfig cfg = new CurationConfig();
    cfg.job.parallelism = 2;
    cfg.quality.gopherQuality.enabled = false;
    cfg.quality.gopherRepetition.enabled = false;
    cfg.quality.c4.enabled = false;
    cfg.quality.fineWeb.enabled = false;
    cfg.nearDedup.enabled = false;
    cfg.validate();
    Path out = dir.resolve("out");
    FileCurationSummary s =
        FileCurationJob.run(
            cfg,
            List.of(in),
            ReadOptions.DEFAULT,
            out,
            false,
            StreamExecutionEnvironment.getExecutionEnvironment(FileCurationJob.flinkConfig(cfg)),
            32 * 1024);
    assertTrue(s.exact(), s::table);
    assertEquals(3000, s.onDisk("curated"));
    List<OutputDirectory.Part> parts = s.parts().get("curated");
    assertTrue(parts.size() >= 4, () -> "rolled by size: " + parts);
    List<String> all = new OutputDirectory(out).readAll("curated");
    assertEquals(3000, new HashSet<>(all).size());
  }
}
