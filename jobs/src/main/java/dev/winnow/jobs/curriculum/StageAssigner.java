package dev.winnow.jobs.curriculum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.Annotations;
import dev.winnow.selection.curriculum.CurriculumConfig;
import dev.winnow.selection.curriculum.CurriculumPlanner;
import java.nio.file.Path;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The ordered pass (parallelism 1) over entries sorted by {@link RankOrder}: first the per-subtask
 * counts, summed to the total {@code N}; then the documents, easiest first, each getting rank
 * {@code r} and the stage {@link CurriculumPlanner#stageEnds} assigns to rank {@code r} of {@code
 * N}. Each document leaves with {@code meta.curriculum = {stage, rank, difficulty, measure}}, to
 * the shards (when there is an output directory) and downstream to the topic sink, in rank order.
 * Holds one document at a time. An operator on the task thread, for the reason given in {@link
 * CountingPass}.
 */
public class StageAssigner extends AbstractStreamOperator<StagedDocument>
    implements OneInputStreamOperator<CurriculumEntry, StagedDocument>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  /** Accumulator: documents placed. */
  public static final String DOCUMENTS = "winnow.curriculum.documents";

  private final CurriculumConfig curriculum;
  private final String measure;
  private final String outputDir;
  private final int shardSize;
  private final boolean emit;

  /**
   * @param outputDir shards directory, or null for none
   * @param emit whether to pass the staged documents downstream (false when there is no output
   *     topic)
   */
  public StageAssigner(
      CurriculumConfig curriculum, String measure, String outputDir, int shardSize, boolean emit) {
    this.curriculum = curriculum;
    this.measure = measure;
    this.outputDir = outputDir;
    this.shardSize = shardSize;
    this.emit = emit;
  }

  private transient CurriculumPlanner planner;
  private transient LongCounter placed;
  private transient CurriculumShards shards;
  private transient long total;
  private transient long rank;
  private transient long[] ends;
  private transient int stage;

  @Override
  public void open() throws Exception {
    super.open();
    planner = new CurriculumPlanner(curriculum);
    placed = getRuntimeContext().getLongCounter(DOCUMENTS);
    shards =
        outputDir == null
            ? null
            : new CurriculumShards(Path.of(outputDir), shardSize, curriculum.stages);
  }

  @Override
  public void processElement(StreamRecord<CurriculumEntry> element) throws Exception {
    CurriculumEntry e = element.getValue();
    if (e.group == CurriculumEntry.COUNT) {
      if (ends != null) {
        throw new IllegalStateException(
            "a count entry after document rank " + rank + ": the sort order is broken");
      }
      total += e.count;
      return;
    }
    if (ends == null) {
      ends = planner.stageEnds(total);
    }
    if (rank >= total) {
      throw new IllegalStateException(
          "more documents than counted (" + total + "): the counting pass is broken");
    }
    while (rank >= ends[stage]) {
      stage++;
    }
    double difficulty = e.measured();
    ObjectNode o = e.doc.toJson();
    ObjectNode cur = ((ObjectNode) o.get("meta")).putObject("curriculum");
    cur.put("stage", stage);
    cur.put("rank", rank);
    Annotations.putFinite(cur, "difficulty", difficulty);
    cur.put("measure", measure);
    byte[] json = DocumentJson.mapper().writeValueAsBytes(o);
    if (shards != null) {
      shards.write(stage, difficulty, json);
    }
    if (emit) {
      output.collect(new StreamRecord<>(StagedDocument.of(e.id, stage, rank, json)));
    }
    placed.add(1);
    rank++;
  }

  @Override
  public void endInput() throws Exception {
    if (rank != total) {
      throw new IllegalStateException("placed " + rank + " documents of " + total + " counted");
    }
    if (shards != null) {
      shards.finish(
          total,
          measure,
          curriculum.competence.name().toLowerCase(),
          curriculum.c0,
          planner.stageCompetence());
      shards = null;
    }
  }

  @Override
  public void close() throws Exception {
    if (shards != null) {
      shards.close();
    }
    super.close();
  }
}
