package dev.winnow.bench.curation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.bench.BenchEnv;
import dev.winnow.bench.dedup.NearDupGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * A large realistic corpus made from {@code ../shared/corpora}: new documents with the shape of
 * real ones (a real document of the same corpus gives the number of paragraphs and of sentences in
 * each), each sentence drawn from that corpus's sentences, so that the text reads like the corpus,
 * the quality filters meet what they meet there, and two made documents share no more than chance
 * does. Planted in the stream:
 *
 * <ul>
 *   <li>exact duplicates ({@link #EXACT_SHARE}): the text of a document written earlier, a new id;
 *   <li>near duplicates ({@link #NEAR_SHARE}): a {@link NearDupGenerator} variant of an earlier
 *       document (word edits, boilerplate, reordered paragraphs; most at Jaccard 0.5 to 1);
 *   <li>malformed records ({@link #MALFORMED_SHARE}), written to a separate file of raw lines, to
 *       be produced to the topic as they are (cut-off JSON, no text, not an object, invalid UTF-8):
 *       the publisher would refuse them, the job must dead-letter them.
 * </ul>
 *
 * The corpora's mix is kept: each corpus is drawn in proportion to its documents, and each made
 * document takes the shape of a random document of it, so that the distributions of document
 * counts, lengths and bytes per corpus are those of {@code ../shared/corpora}.
 */
public final class GigabyteCorpus {
  static final double EXACT_SHARE = 0.04;
  static final double NEAR_SHARE = 0.04;
  static final double MALFORMED_SHARE = 0.005;
  private static final String[] CORPORA = {"news", "speeches", "prose", "reviews", "web", "udhr"};
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

  /** Earlier documents that duplicates are drawn from. */
  private static final int RECENT = 20_000;

  /** What was written. */
  public record Stats(
      long documents, long exactDuplicates, long nearDuplicates, long malformed, long bytes) {}

  private record Genre(String name, List<int[]> shapes, List<String> sentences, double weight) {}

  private GigabyteCorpus() {}

  /**
   * Writes about {@code targetBytes} of JSON lines to {@code corpus} and the malformed records to
   * {@code poison} (one per line; bytes as they are to be produced).
   */
  public static Stats write(Path shared, Path corpus, Path poison, long targetBytes, long seed)
      throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    NearDupGenerator near = new NearDupGenerator(seed ^ 0x5DEECE66DL);
    List<Genre> genres = new ArrayList<>();
    double total = 0;
    for (String c : CORPORA) {
      Genre g = read(shared.resolve("corpora").resolve(c + ".jsonl.gz"), c, near);
      genres.add(g);
      total += g.weight();
    }
    String[] recent = new String[RECENT];
    long docs = 0;
    long exact = 0;
    long nearDups = 0;
    long malformed = 0;
    long bytes = 0;
    JsonFactory jf = new ObjectMapper().getFactory();
    try (BufferedWriter out = Files.newBufferedWriter(corpus, StandardCharsets.UTF_8);
        OutputStream bad = new java.io.BufferedOutputStream(Files.newOutputStream(poison))) {
      while (bytes < targetBytes) {
        double u = r.nextDouble();
        if (u < MALFORMED_SHARE) {
          byte[] line = malformed(docs + malformed, r);
          bad.write(line);
          bad.write('\n');
          malformed++;
          bytes += line.length + 1;
          continue;
        }
        String id = "gb-" + docs;
        String text;
        String source;
        String earlier = docs > 100 ? recent[(int) (r.nextLong(Math.min(docs, RECENT)))] : null;
        if (earlier != null && u < MALFORMED_SHARE + EXACT_SHARE) {
          text = earlier;
          source = "gigabyte/exact";
          exact++;
        } else if (earlier != null && u < MALFORMED_SHARE + EXACT_SHARE + NEAR_SHARE) {
          text = near.variant(earlier);
          source = "gigabyte/near";
          nearDups++;
        } else {
          Genre g = pick(genres, total, r);
          text = compose(g, r);
          source = "gigabyte/" + g.name();
        }
        recent[(int) (docs % RECENT)] = text;
        StringWriter sw = new StringWriter(text.length() + 64);
        try (JsonGenerator gen = jf.createGenerator(sw)) {
          gen.writeStartObject();
          gen.writeStringField("id", id);
          gen.writeStringField("text", text);
          gen.writeStringField("source", source);
          gen.writeEndObject();
        }
        String line = sw.toString();
        out.write(line);
        out.newLine();
        bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        docs++;
      }
    }
    return new Stats(docs, exact, nearDups, malformed, bytes);
  }

  private static Genre pick(List<Genre> genres, double total, SplittableRandom r) {
    double x = r.nextDouble() * total;
    for (Genre g : genres) {
      x -= g.weight();
      if (x < 0) {
        return g;
      }
    }
    return genres.get(genres.size() - 1);
  }

  /** A document of a random real document's shape, its sentences drawn from the whole corpus. */
  private static String compose(Genre g, SplittableRandom r) {
    int[] shape = g.shapes().get(r.nextInt(g.shapes().size()));
    StringBuilder sb = new StringBuilder();
    for (int p = 0; p < shape.length; p++) {
      if (p > 0) {
        sb.append('\n');
      }
      for (int s = 0; s < shape[p]; s++) {
        if (s > 0) {
          sb.append(' ');
        }
        sb.append(g.sentences().get(r.nextInt(g.sentences().size())));
      }
    }
    return sb.toString();
  }

  private static byte[] malformed(long n, SplittableRandom r) {
    String id = "gb-bad-" + n;
    return switch (r.nextInt(4)) {
      case 0 ->
          ("{\"id\": \"" + id + "\", \"text\": \"cut off in the middle of a")
              .getBytes(StandardCharsets.UTF_8);
      case 1 ->
          ("{\"id\": \"" + id + "\", \"source\": \"no text field\"}")
              .getBytes(StandardCharsets.UTF_8);
      case 2 -> ("[\"" + id + "\", \"an array, not an object\"]").getBytes(StandardCharsets.UTF_8);
      default -> {
        byte[] head =
            ("{\"id\": \"" + id + "\", \"text\": \"bad bytes ").getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[head.length + 4];
        System.arraycopy(head, 0, b, 0, head.length);
        b[head.length] = (byte) 0xC3; // a lead byte without its continuation
        b[head.length + 1] = (byte) 0x28;
        b[head.length + 2] = '"';
        b[head.length + 3] = '}';
        yield b;
      }
    };
  }

  private static Genre read(Path file, String name, NearDupGenerator near) throws IOException {
    List<int[]> shapes = new ArrayList<>();
    List<String> sentences = new ArrayList<>();
    for (JsonNode node : BenchEnv.jsonLines(file)) {
      String text = node.path("text").asText("");
      String[] paragraphs = text.split("\n");
      int[] shape = new int[paragraphs.length];
      for (int p = 0; p < paragraphs.length; p++) {
        String[] s = SENTENCE_END.split(paragraphs[p].trim());
        shape[p] = Math.max(1, s.length);
        for (String x : s) {
          if (!x.isBlank()) {
            sentences.add(x);
          }
        }
      }
      shapes.add(shape);
      if (shapes.size() % 20 == 0) {
        near.addVocabulary(text);
      }
    }
    return new Genre(name, shapes, sentences, shapes.size());
  }
}
