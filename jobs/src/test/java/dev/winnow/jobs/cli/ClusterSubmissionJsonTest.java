package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.jobs.curriculum.CurriculumJobConfig;
import dev.winnow.jobs.pool.PoolIndexConfig;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import org.junit.jupiter.api.Test;

/**
 * The resolved configurations of {@code curriculum} and {@code pool index} travel to a cluster as
 * JSON ({@code --jobmanager}) unchanged.
 */
class ClusterSubmissionJsonTest {
  @Test
  void curriculumConfigRoundTrips() throws Exception {
    CurriculumJobConfig c = new CurriculumJobConfig();
    c.inputFiles.add("/data/in.jsonl");
    c.outputDir = "/data/out";
    c.curriculum.measure = DifficultyMeasure.LENGTH;
    c.curriculum.stages = 3;
    c.kafka.properties.put("security.protocol", "SASL_SSL");
    c.parallelism = 2;
    String json = ClusterSubmission.toJson(c);
    CurriculumJobConfig back = ClusterSubmission.fromJson(json, CurriculumJobConfig.class);
    assertEquals(json, ClusterSubmission.toJson(back));
    assertEquals(DifficultyMeasure.LENGTH, back.curriculum.measure);
    assertEquals("/data/out", back.outputDir);
  }

  @Test
  void poolIndexConfigRoundTrips() throws Exception {
    PoolIndexConfig c = new PoolIndexConfig();
    c.topic = "demos";
    c.pool = "news";
    c.poolsDir = "/data/pools";
    c.job.bounded = true;
    c.embedding.threads = 1;
    String json = ClusterSubmission.toJson(c);
    PoolIndexConfig back = ClusterSubmission.fromJson(json, PoolIndexConfig.class);
    assertEquals(json, ClusterSubmission.toJson(back));
    assertEquals("news", back.pool);
    assertEquals(true, back.job.bounded);
  }
}
