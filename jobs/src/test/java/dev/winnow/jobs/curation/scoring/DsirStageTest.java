package dev.winnow.jobs.curation.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.Document;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.selection.dsir.DsirConfig;
import dev.winnow.selection.dsir.DsirModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DsirStageTest {
  private static final List<String> TARGET =
      List.of(
          "The minister announced new funding for rural research stations on Tuesday.",
          "Scientists say the drought has cut the wheat harvest across the state.",
          "Farmers welcomed the government decision on water allocations.");
  private static final List<String> RAW =
      List.of(
          "lol my firefox keeps crashing when i open tabs help",
          "The minister said the harvest was smaller than expected this year.",
          "seeking tall guy who likes wine and long walks",
          "bookmarks toolbar disappeared after update, anyone?");

  @TempDir Path dir;

  @Test
  void aMissingModelFileIsNamed() {
    DsirSection cfg = new DsirSection();
    cfg.model = dir.resolve("nope.json").toString();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DsirStage.of(cfg));
    assertTrue(
        e.getMessage()
            .startsWith("dsir.model: the DSIR model file " + cfg.model + " does not exist"),
        e.getMessage());
  }

  @Test
  void aFileThatIsNoModelIsNamed() throws Exception {
    Path f = dir.resolve("other.json");
    Files.writeString(f, "{\"format\": \"something-else\"}");
    DsirSection cfg = new DsirSection();
    cfg.model = f.toString();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DsirStage.of(cfg));
    assertTrue(
        e.getMessage().contains("dsir.model: cannot use the DSIR model file " + f)
            && e.getMessage().contains("is not a DSIR model"),
        e.getMessage());
  }

  @Test
  void aModelWithItsRawDistributionNeedsNoWarmUpAndWeighsAsTheModel() throws Exception {
    DsirModel m = DsirModel.fit(new DsirConfig(), TARGET, RAW);
    DsirStage stage = stage(m);
    long[] given = stage.given();
    assertNotNull(given, "the file's raw distribution is used as is");
    stage.use(given);
    for (String t : RAW) {
      assertEquals(m.logWeight(t), logWeight(stage, t), 1e-9);
    }
  }

  @Test
  void withoutARawDistributionItIsFittedFromTheSample() throws Exception {
    DsirModel targetOnly = DsirModel.fit(new DsirConfig(), TARGET, null);
    DsirStage stage = stage(targetOnly);
    assertNull(stage.given(), "nothing to use before the warm-up");
    List<DocRecord> sample = RAW.stream().map(DsirStageTest::doc).toList();
    long[] fitted = stage.fit(sample);
    assertEquals(new DsirConfig().buckets + 1, fitted.length);
    assertEquals(
        RAW.size(), fitted[fitted.length - 1], "the document count travels with the counts");
    stage.use(fitted);
    DsirModel expected = targetOnly.withRawFittedFrom(RAW);
    String news = "The government said farmers and scientists will get research funding.";
    String web = "firefox crashes, lol, anyone help";
    assertEquals(expected.logWeight(news), logWeight(stage, news), 1e-9);
    assertEquals(expected.logWeight(web), logWeight(stage, web), 1e-9);
    assertTrue(logWeight(stage, news) > logWeight(stage, web), "a news target prefers news");
  }

  private DsirStage stage(DsirModel m) throws Exception {
    Path f = Files.createTempFile(dir, "dsir", ".json");
    m.save(f);
    DsirSection cfg = new DsirSection();
    cfg.model = f.toString();
    return DsirStage.of(cfg);
  }

  private static double logWeight(DsirStage stage, String text) {
    DocRecord d = doc(text);
    d.annotations = "{\"score\":{\"ppl\":3.5}}";
    stage.annotate(d);
    JsonNode w = Annotations.at(d, "meta.winnow.dsir.log_weight");
    assertEquals(
        3.5, Annotations.number(d, "meta.winnow.score.ppl"), "earlier annotations are kept");
    return w.asDouble();
  }

  static DocRecord doc(String text) {
    return DocRecord.of(
        new Document("d-" + Integer.toHexString(text.hashCode()), text, "test", Map.of()), "t-0@0");
  }
}
