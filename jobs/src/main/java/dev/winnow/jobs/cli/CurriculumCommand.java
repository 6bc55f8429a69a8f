package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.kernels.cpu.CpuScoringEngine;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.DocumentScore;
import dev.winnow.kernels.scoring.DocumentScorer;
import dev.winnow.selection.curriculum.Competence;
import dev.winnow.selection.curriculum.CurriculumConfig;
import dev.winnow.selection.curriculum.CurriculumPlanner;
import dev.winnow.selection.curriculum.DifficultyMeasure;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code winnow curriculum}: orders a selected set by difficulty, cuts it into competence stages and
 * writes ordered JSONL shards ({@code stage-<s>-<n>.jsonl}, easiest first) plus {@code manifest.json}.
 * Every record carries {@code meta.curriculum = {stage, rank, difficulty, measure}}. Bounded: the set
 * is held in memory.
 */
@Command(name = "curriculum", mixinStandardHelpOptions = true,
    description = {"Order documents by difficulty (perplexity, length or gzip compression ratio), split them into "
        + "stages by a competence function (Platanios et al. 2019: linear or sqrt, starting at c0), and write ordered "
        + "JSONL shards with meta.curriculum {stage, rank, difficulty, measure} on every record."})
public final class CurriculumCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, arity = "1..*", description = "Input files (.jsonl, .jsonl.gz) or directories.")
  List<Path> inputs;

  @Option(names = "--output-dir", required = true, description = "Directory for the shards and manifest.json.")
  Path outputDir;

  @Option(names = "--measure", defaultValue = "perplexity", description = "perplexity, length or compression (default: ${DEFAULT-VALUE}).")
  String measure;

  @Option(names = "--competence", defaultValue = "sqrt", description = "linear or sqrt (default: ${DEFAULT-VALUE}).")
  String competence;

  @Option(names = "--c0", defaultValue = "0.01", description = "Starting competence (default: ${DEFAULT-VALUE}).")
  double c0;

  @Option(names = "--stages", defaultValue = "4", description = "Number of stages (default: ${DEFAULT-VALUE}).")
  int stages;

  @Option(names = "--shard-size", defaultValue = "10000", description = "Records per shard (default: ${DEFAULT-VALUE}).")
  int shardSize;

  @Option(names = "--perplexity-field", defaultValue = "ppl", description = "Meta field holding a perplexity; documents "
      + "without it are scored with --model and get it (default: ${DEFAULT-VALUE}).")
  String perplexityField;

  @Option(names = "--model", defaultValue = BundledModels.PROXY_MINI, description = "Proxy model for missing perplexities (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--threads", description = "CPU threads for scoring (default: number of cores).")
  Integer threads;

  @Option(names = "--reject-file", description = "Malformed input lines (default: <output-dir>/rejects.jsonl).")
  Path rejectFile;

  @Override
  public Integer call() throws Exception {
    if (shardSize < 1) {
      throw new IllegalArgumentException("illegal --shard-size " + shardSize + ": must be at least 1");
    }
    CurriculumConfig c = new CurriculumConfig();
    c.measure = switch (measure) {
      case "perplexity", "ppl" -> DifficultyMeasure.PERPLEXITY;
      case "length" -> DifficultyMeasure.LENGTH;
      case "compression", "compression-ratio" -> DifficultyMeasure.COMPRESSION_RATIO;
      default -> throw new IllegalArgumentException("illegal --measure " + measure + ": must be perplexity, length or compression");
    };
    c.competence = switch (competence) {
      case "linear" -> Competence.LINEAR;
      case "sqrt" -> Competence.SQRT;
      default -> throw new IllegalArgumentException("illegal --competence " + competence + ": must be linear or sqrt");
    };
    c.c0 = c0;
    c.stages = stages;
    c.validate("curriculum");
    Files.createDirectories(outputDir);
    long t0 = System.nanoTime();
    List<Document> docs = new ArrayList<>();
    try (DocumentReader reader = new DocumentReader(inputs);
         BufferedWriter rej = Files.newBufferedWriter(rejectFile != null ? rejectFile : outputDir.resolve("rejects.jsonl"),
             StandardCharsets.UTF_8)) {
      while (reader.hasNext()) {
        InputEntry e = reader.next();
        if (e.ok()) {
          docs.add(e.document());
        } else {
          RejectLines.write(rej, e);
        }
      }
    }
    double[] difficulty = new double[docs.size()];
    if (c.measure == DifficultyMeasure.PERPLEXITY) {
      scoreMissing(docs, difficulty);
    } else {
      for (int i = 0; i < docs.size(); i++) {
        difficulty[i] = c.measure.measure(docs.get(i).text());
      }
    }
    CurriculumPlanner planner = new CurriculumPlanner(c);
    List<CurriculumPlanner.Placement> plan = planner.plan(difficulty);
    int[] perStage = new int[stages];
    double[] min = new double[stages];
    double[] max = new double[stages];
    java.util.Arrays.fill(min, Double.NaN);
    java.util.Arrays.fill(max, Double.NaN);
    List<String> shards = new ArrayList<>();
    JsonlWriter out = null;
    int shardStage = -1;
    int shardIndex = 0;
    try {
      for (CurriculumPlanner.Placement p : plan) {
        if (out == null || p.stage() != shardStage || out.lines() == shardSize) {
          if (out != null) {
            out.close();
          }
          shardIndex = p.stage() != shardStage ? 0 : shardIndex + 1;
          shardStage = p.stage();
          String name = String.format("stage-%02d-%05d.jsonl", shardStage, shardIndex);
          shards.add(name);
          out = new JsonlWriter(outputDir.resolve(name));
        }
        ObjectNode o = DocumentJson.toTree(docs.get(p.index()));
        ObjectNode cur = ((ObjectNode) o.get("meta")).putObject("curriculum");
        cur.put("stage", p.stage());
        cur.put("rank", p.rank());
        putFinite(cur, "difficulty", p.difficulty());
        cur.put("measure", measure);
        out.write(o);
        int s = p.stage();
        perStage[s]++;
        if (!Double.isNaN(p.difficulty())) {
          min[s] = Double.isNaN(min[s]) ? p.difficulty() : Math.min(min[s], p.difficulty());
          max[s] = Double.isNaN(max[s]) ? p.difficulty() : Math.max(max[s], p.difficulty());
        }
      }
    } finally {
      if (out != null) {
        out.close();
      }
    }
    ObjectNode manifest = DocumentJson.mapper().createObjectNode();
    manifest.put("documents", docs.size());
    manifest.put("measure", measure);
    manifest.put("competence", competence);
    manifest.put("c0", c0);
    ArrayNode st = manifest.putArray("stages");
    double[] comp = planner.stageCompetence();
    for (int s = 0; s < stages; s++) {
      ObjectNode o = st.addObject();
      o.put("stage", s);
      o.put("competence", comp[s]);
      o.put("documents", perStage[s]);
      putFinite(o, "min_difficulty", min[s]);
      putFinite(o, "max_difficulty", max[s]);
    }
    ArrayNode sh = manifest.putArray("shards");
    shards.forEach(sh::add);
    DocumentJson.mapper().writerWithDefaultPrettyPrinter().writeValue(outputDir.resolve("manifest.json").toFile(), manifest);
    System.err.printf("curriculum: %,d documents in %d stages %s by %s, %d shards in %.1f s -> %s%n", docs.size(), stages,
        java.util.Arrays.toString(perStage), measure, shards.size(), (System.nanoTime() - t0) / 1e9, outputDir);
    return 0;
  }

  /** Perplexity from meta, or scored with the proxy model (and then stored in meta so it travels). */
  private void scoreMissing(List<Document> docs, double[] difficulty) throws Exception {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      Double v = MetaScores.number(docs.get(i), perplexityField);
      if (v == null) {
        missing.add(i);
      } else {
        difficulty[i] = v;
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    LoadedModel m = ModelLoader.load(BundledModels.resolve(model));
    try (CpuScoringEngine engine = new CpuScoringEngine(m.weights(),
        threads != null ? threads : Runtime.getRuntime().availableProcessors())) {
      DocumentScorer scorer = new DocumentScorer(engine, m.requireTokenizer());
      for (int from = 0; from < missing.size(); from += 32) {
        List<Integer> batch = missing.subList(from, Math.min(missing.size(), from + 32));
        List<DocumentScore> scores = scorer.scoreAll(batch.stream().map(i -> docs.get(i).text()).toList());
        for (int k = 0; k < batch.size(); k++) {
          int i = batch.get(k);
          double ppl = scores.get(k).perplexity();
          difficulty[i] = ppl;
          if (Double.isFinite(ppl)) {
            Map<String, Object> meta = new LinkedHashMap<>(docs.get(i).meta());
            meta.put(perplexityField, ppl);
            docs.set(i, docs.get(i).withMeta(meta));
          }
        }
      }
    }
  }

  private static void putFinite(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }
}
