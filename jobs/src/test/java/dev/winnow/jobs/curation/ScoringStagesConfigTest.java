package dev.winnow.jobs.curation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ifd, dsir and ccnet sections: off by default, loaded from YAML, and bad values named with
 * their rule.
 */
class ScoringStagesConfigTest {
  @TempDir Path dir;

  @Test
  void offByDefault() {
    CurationConfig c = new CurationConfig().validate();
    assertFalse(c.ifd.enabled);
    assertFalse(c.dsir.enabled);
    assertFalse(c.ccnet.enabled);
    assertNull(c.ccnet.headCut);
    assertEquals("meta.winnow.score.ppl_word", c.ccnet.perplexityField);
  }

  @Test
  void sectionsLoadFromYaml() throws Exception {
    CurationConfig c =
        CurationConfig.load(
            write(
                "score:\n  enabled: true\nccnet:\n  enabled: true\n  headCut: 50\n  tailCut: 120\n"
                    + "ifd:\n  enabled: true\n  promptField: instruction\n  responseField: output\n"
                    + "dsir:\n  enabled: true\n  model: /models/news-dsir.json\n  warmUpDocuments: 50\n"));
    assertEquals(50.0, c.ccnet.headCut);
    assertEquals(120.0, c.ccnet.buckets().tailCut);
    assertTrue(c.ccnet.buckets().hasCuts());
    assertEquals("instruction", c.ifd.promptField);
    assertEquals("/models/news-dsir.json", c.dsir.model);
    assertEquals(50, c.dsir.warmUpDocuments);
  }

  @Test
  void badValuesNameFieldAndRule() throws Exception {
    assertMessage("dsir:\n  enabled: true\n", "dsir.model: required when dsir.enabled is true");
    assertMessage(
        "dsir:\n  warmUpDocuments: 0\n", "dsir.warmUpDocuments: value 0 must be in [1, 10000000]");
    assertMessage(
        "ccnet:\n  enabled: true\n",
        "ccnet.perplexityField: meta.winnow.score.ppl_word is attached by the score stage: set score.enabled: true");
    assertMessage(
        "ccnet:\n  perplexityField: ppl\n", "ccnet.perplexityField: \"ppl\" must be a path like");
    assertMessage("ccnet:\n  headCut: 10\n", "give both headCut and tailCut, or neither");
    assertMessage(
        "ccnet:\n  headCut: 90\n  tailCut: 10\n",
        "ccnet.headCut = 90.0 must be <= ccnet.tailCut = 10.0");
    assertMessage("ccnet:\n  headPercentile: 0.7\n", "must be 0 < head < tail < 1");
    assertMessage(
        "ccnet:\n  warmUpDocuments: -1\n",
        "ccnet.warmUpDocuments: value -1 must be in [1, 10000000]");
    assertMessage(
        "ifd:\n  responseField: prompt\n",
        "ifd.responseField: \"prompt\" must differ from ifd.promptField");
    assertMessage("ifd:\n  batchSize: 0\n", "ifd.batchSize: value 0 must be in [1, 4096]");
  }

  @Test
  void ccnetOnAnInputFieldNeedsNoScoreStage() throws Exception {
    CurationConfig c =
        CurationConfig.load(write("ccnet:\n  enabled: true\n  perplexityField: meta.ppl\n"));
    assertTrue(c.ccnet.enabled);
  }

  private void assertMessage(String yaml, String expected) throws Exception {
    Path f = write(yaml);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CurationConfig.load(f));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private Path write(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "c", ".yaml");
    Files.writeString(f, yaml);
    return f;
  }
}
