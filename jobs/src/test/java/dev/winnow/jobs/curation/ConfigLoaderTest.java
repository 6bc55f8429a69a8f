package dev.winnow.jobs.curation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void missingFieldsKeepDefaults() throws Exception {
    CurationConfig c =
        CurationConfig.load(write("c.yaml", "topics:\n  input: docs\njob:\n  bounded: true\n"));
    assertEquals("docs", c.topics.input);
    assertEquals("curated", c.topics.curated);
    assertTrue(c.job.bounded);
    assertEquals(new CurationConfig().kafka.transactionTimeoutMs, c.kafka.transactionTimeoutMs);
  }

  @Test
  void theShippedReferenceConfigLoadsAndStatesTheDefaults() throws Exception {
    CurationConfig shipped = CurationConfig.load(Path.of("..", "config", "curation.yaml"));
    CurationConfig defaults = new CurationConfig();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    assertEquals(
        mapper.valueToTree(defaults),
        mapper.valueToTree(shipped),
        "config/curation.yaml must list exactly the built-in defaults");
  }

  @Test
  void jsonWorksToo() throws Exception {
    CurationConfig c =
        CurationConfig.load(write("c.json", "{\"exactDedup\": {\"ttlSeconds\": 3600}}"));
    assertEquals(3600, c.exactDedup.ttlSeconds);
  }

  @Test
  void unknownFieldIsNamedWithItsPath() throws Exception {
    Path f = write("c.yaml", "job:\n  paralelism: 4\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CurationConfig.load(f));
    assertTrue(e.getMessage().contains("unknown field job.paralelism"), e.getMessage());
    assertTrue(e.getMessage().contains("parallelism"), "lists the known fields: " + e.getMessage());
  }

  @Test
  void badTypeIsNamedWithItsPath() throws Exception {
    Path f = write("c.yaml", "job:\n  checkpointIntervalMs: soon\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CurationConfig.load(f));
    assertTrue(e.getMessage().contains("job.checkpointIntervalMs"), e.getMessage());
  }

  @Test
  void outOfRangeValuesNameFieldAndRange() throws Exception {
    assertMessage(
        "job:\n  checkpointIntervalMs: 10\n",
        "job.checkpointIntervalMs: value 10 must be in [100, 3600000]");
    assertMessage(
        "kafka:\n  transactionTimeoutMs: 7200000\n",
        "kafka.transactionTimeoutMs: value 7200000 must be in [10000, 900000]");
    assertMessage(
        "job:\n  stateBackend: leveldb\n",
        "job.stateBackend: value \"leveldb\" must be one of hashmap, rocksdb");
    assertMessage("topics:\n  curated: raw\n", "must be four different topics");
    assertMessage(
        "job:\n  checkpointIntervalMs: 400000\n",
        "must be less than half of kafka.transactionTimeoutMs");
    assertMessage("topics:\n  input: \"\"\n", "topics.input: must be a non-blank string");
  }

  @Test
  void qualityThresholdsAreValidatedWithTheirPath() throws Exception {
    assertMessage(
        "quality:\n  gopherQuality:\n    minDocWords: -5\n", "quality.gopherQuality.minDocWords");
  }

  @Test
  void missingFileIsAClearError() {
    assertThrows(NoSuchFileException.class, () -> CurationConfig.load(dir.resolve("nope.yaml")));
  }

  private void assertMessage(String yaml, String expected) throws Exception {
    Path f = write("bad.yaml", yaml);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CurationConfig.load(f), yaml);
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  private Path write(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }
}
