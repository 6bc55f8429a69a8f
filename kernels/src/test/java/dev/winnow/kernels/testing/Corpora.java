package dev.winnow.kernels.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The first documents' texts of a corpus in ../shared/corpora. */
public final class Corpora {
  private Corpora() {}

  public static List<String> texts(String corpus, int limit) {
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(
                        SharedData.root().resolve("corpora").resolve(corpus + ".jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      String line;
      while (out.size() < limit && (line = in.readLine()) != null) {
        out.add(json.readTree(line).get("text").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
