package dev.winnow.jobs.curation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The resolved config travels to a cluster as JSON ({@code curate --jobmanager}) unchanged. */
class CurationConfigJsonTest {
  @Test
  void theShippedConfigSurvivesTheTripAsJson() throws Exception {
    CurationConfig shipped = CurationConfig.load(Path.of("..", "config", "curation.yaml"));
    shipped.kafka.properties.put("security.protocol", "SASL_SSL");
    shipped.reference.files.add("/data/kept.jsonl.gz");
    shipped.select.sourceWeights.put("news", 2.0);
    String json = shipped.toJson();
    CurationConfig back = CurationConfig.fromJson(json);
    assertEquals(json, back.toJson());
    assertEquals("SASL_SSL", back.kafka.properties.get("security.protocol"));
  }
}
