package dev.winnow.selection.langid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Where language profiles come from: the built-in model (a resource of this module, {@value
 * #BUILT_IN}: 73 of Lingua 1.2.2's 75 languages, derived from the n-gram frequencies of its
 * language models by {@code bench/.../langid/LinguaProfileExport}, Indonesian's profile answering
 * {@code ms}: 72 codes, see the root README) or a model file that {@code winnow langid train}
 * wrote. Both are JSON lines, gzip-compressed when the name ends in {@code .gz}, one {@link
 * LanguageProfile} per line.
 */
public final class LanguageModels {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The class-path resource of the built-in model. */
  public static final String BUILT_IN = "/dev/winnow/selection/langid/builtin-profiles.jsonl.gz";

  private static volatile LanguageIdentifier builtIn;

  private LanguageModels() {}

  /** The built-in profiles. */
  public static List<LanguageProfile> builtInProfiles() {
    try (InputStream in = LanguageModels.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(
            "built-in language model " + BUILT_IN + " is missing from the class path");
      }
      return read(new GZIPInputStream(in), BUILT_IN);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read built-in language model " + BUILT_IN, e);
    }
  }

  /** The identifier over the built-in profiles, compiled once per JVM. */
  public static LanguageIdentifier builtIn() {
    LanguageIdentifier b = builtIn;
    if (b == null) {
      synchronized (LanguageModels.class) {
        if (builtIn == null) {
          builtIn = new LanguageIdentifier(builtInProfiles());
        }
        b = builtIn;
      }
    }
    return b;
  }

  /** The built-in identifier when {@code modelFile} is null, else the one of that file. */
  public static LanguageIdentifier load(String modelFile) {
    if (modelFile == null || modelFile.isBlank()) {
      return builtIn();
    }
    try {
      return new LanguageIdentifier(read(Path.of(modelFile)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read language model " + modelFile + ": " + e, e);
    }
  }

  /** Reads a model file: one profile per JSON line. */
  public static List<LanguageProfile> read(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return read(file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw, file.toString());
  }

  private static List<LanguageProfile> read(InputStream in, String file) throws IOException {
    List<LanguageProfile> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (IOException e) {
          throw new IOException(file + ":" + no + ": not JSON: " + e.getMessage(), e);
        }
        try {
          out.add(LanguageProfile.fromJson(node, null));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ":" + no + ": " + e.getMessage(), e);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException(file + ": no language profile in the file");
    }
    return out;
  }

  /** Writes profiles as a model file (gzip when the name ends in {@code .gz}). */
  public static void write(List<LanguageProfile> profiles, Path file) throws IOException {
    var raw = Files.newOutputStream(file);
    var out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
    try (BufferedWriter w =
        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
      for (LanguageProfile p : profiles) {
        w.write(JSON.writeValueAsString(p.toJson()));
        w.write('\n');
      }
    }
  }
}
