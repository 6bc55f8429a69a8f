package dev.winnow.prompt.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.prompt.ReferenceCases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Test demonstrations made from real text: the ABC news articles of {@code
 * ../shared/corpora/news.jsonl.gz}, each article's body (its first 600 characters) as the input and
 * its headline (the first line) as the output, i.e. a headline-writing task.
 */
public final class NewsDemonstrations {
  private NewsDemonstrations() {}

  public static List<Demonstration> load(int skip, int count) {
    ObjectMapper json = new ObjectMapper();
    List<Demonstration> out = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(ReferenceCases.shared().resolve("corpora/news.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      String line;
      int seen = 0;
      while ((line = in.readLine()) != null && out.size() < count) {
        JsonNode doc = json.readTree(line);
        String text = doc.get("text").asText();
        int nl = text.indexOf('\n');
        if (nl < 1 || text.length() - nl < 80) {
          continue;
        }
        if (seen++ < skip) {
          continue;
        }
        String body = text.substring(nl + 1).strip();
        body = body.length() > 600 ? body.substring(0, 600) : body;
        var meta = json.createObjectNode().put("source", "news");
        out.add(
            new Demonstration(doc.get("id").asText(), body, text.substring(0, nl).strip(), meta)
                .validated("demonstration"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
