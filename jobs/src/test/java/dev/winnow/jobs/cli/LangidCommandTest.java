package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LangidCommandTest {
  static List<JsonNode> lines(Path f) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(f)) {
      out.add(DocumentJson.mapper().readTree(l));
    }
    return out;
  }

  @Test
  void listPrintsTheModelsLanguages() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf));
    try {
      assertEquals(0, WinnowCli.execute("langid", "--list"));
    } finally {
      System.setOut(old);
    }
    List<String> langs = List.of(buf.toString().trim().split("\n"));
    assertTrue(langs.size() >= 70, langs.toString());
    assertTrue(langs.contains("en") && langs.contains("zh"));
  }

  @Test
  void everyDocumentOutWithItsLanguage(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":\"en\",\"text\":\"The committee will meet again next week to discuss the budget.\"}",
            "{\"id\":\"fr\",\"text\":\"Le comité se réunira de nouveau la semaine prochaine.\"}",
            "not json"));
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0, WinnowCli.execute("langid", "--input", in.toString(), "--output", out.toString()));
    List<JsonNode> docs = lines(out);
    assertEquals(2, docs.size());
    assertEquals(
        "en", docs.get(0).path("meta").path("winnow").path("language").path("lang").asText());
    assertEquals(
        "fr", docs.get(1).path("meta").path("winnow").path("language").path("lang").asText());
    assertTrue(Files.exists(Path.of(out + ".rejects.jsonl")), "the malformed line is listed");
    assertFalse(Files.exists(dir.resolve("out.rejected.jsonl")), "nothing was rejected");

    assertEquals(
        0,
        WinnowCli.execute(
            "langid", "--input", in.toString(), "--output", out.toString(), "--keep", "en"));
    assertEquals(1, lines(out).size());
    JsonNode rej = lines(dir.resolve("out.rejected.jsonl")).get(0);
    assertEquals("fr", rej.path("rejection").path("value").asText());
    assertEquals("language", rej.path("rejection").path("rule").asText());
  }

  @Test
  void trainWritesAModelThatLangidUses(@TempDir Path dir) throws Exception {
    Path train = dir.resolve("train.jsonl");
    Files.write(
        train,
        List.of(
            "{\"text\":\"kalu mela kalu mela tuku tuku kalumela tukumela kalu\",\"meta\":{\"lang\":\"xa\"}}",
            "{\"text\":\"zorp vrin zorp vrin grak grak zorpvrin grakzorp vrin\",\"meta\":{\"lang\":\"xb\"}}",
            "{\"text\":\"no label here\"}"));
    Path model = dir.resolve("m.jsonl.gz");
    assertEquals(
        0,
        WinnowCli.execute(
            "langid",
            "train",
            "--input",
            train.toString(),
            "--output",
            model.toString(),
            "--min-count",
            "1"));
    Path in = dir.resolve("in.jsonl");
    Files.write(in, List.of("{\"id\":\"a\",\"text\":\"vrin grak zorp\"}"));
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "langid",
            "--model",
            model.toString(),
            "--input",
            in.toString(),
            "--output",
            out.toString()));
    assertEquals(
        "xb", lines(out).get(0).path("meta").path("winnow").path("language").path("lang").asText());
  }
}
