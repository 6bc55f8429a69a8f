package dev.winnow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IfdCommandTest {

  private static String pair(String id, String prompt, String response) {
    ObjectNode o = DocumentJson.mapper().createObjectNode();
    o.put("id", id);
    o.put("text", prompt + response);
    ObjectNode meta = o.putObject("meta");
    meta.put("prompt", prompt);
    meta.put("response", response);
    return o.toString();
  }

  @Test
  void writesIfdIntoMetaAndRoutesDocumentsWithoutAPair(@TempDir Path dir) throws Exception {
    String article =
        "A southern Queensland cattle farmer says a knee injury will not stop him running in the Queen's "
            + "baton relay today in the lead-up to the Commonwealth Games. Stanthorpe's Bill Bonner travelled to Coffs "
            + "Harbour in New South Wales to run his leg of the relay.";
    String answer =
        " And he says injury will not prevent him from making the 500 metre dash, because you get such an "
            + "adrenalin rush that you could run it with one leg.";
    Path in = dir.resolve("in.jsonl");
    Files.write(
        in,
        List.of(
            pair("related", "Continue the article.\n" + article, answer),
            pair(
                "unrelated",
                "Continue the review.\nthe movie was boring and the plot made no sense at all , "
                    + "and the actors seemed lost in every scene .",
                answer),
            "{\"id\":\"plain\",\"text\":\"no pair here\"}",
            "{\"id\":\"broken\","));
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0,
        WinnowCli.execute(
            "ifd", "--input", in.toString(), "--output", out.toString(), "--threads", "2"));
    List<JsonNode> rows = new ArrayList<>();
    for (String l : Files.readAllLines(out)) {
      rows.add(DocumentJson.mapper().readTree(l));
    }
    assertEquals(
        List.of("related", "unrelated"), rows.stream().map(r -> r.path("id").asText()).toList());
    JsonNode related = rows.get(0).path("meta");
    JsonNode unrelated = rows.get(1).path("meta");
    assertEquals(
        related.path("ifd_conditional_ppl").asDouble()
            / related.path("ifd_response_ppl").asDouble(),
        related.path("ifd").asDouble(),
        1e-9);
    assertEquals(
        related.path("ifd_response_ppl").asDouble(),
        unrelated.path("ifd_response_ppl").asDouble(),
        1e-6,
        "same response, same PPL(response)");
    assertTrue(related.path("ifd").asDouble() < unrelated.path("ifd").asDouble(), rows.toString());
    List<String> rejects = Files.readAllLines(Path.of(out + ".rejects.jsonl"));
    assertEquals(2, rejects.size());
    assertTrue(rejects.get(0).contains("no string meta.prompt and meta.response"), rejects.get(0));
  }
}
