package dev.winnow.jobs.curation.scoring;

import dev.winnow.jobs.common.Annotations;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.selection.dsir.DsirModel;
import dev.winnow.selection.dsir.NgramDistribution;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The DSIR stage: {@code meta.winnow.dsir = {log_weight}} from a {@code winnow dsir fit} model
 * ({@link DsirModel#logWeight}). The model file is read once when the job is built and travels with
 * the job graph, so TaskManagers need no access to it. When the file has no raw distribution, each
 * subtask fits one from its warm-up sample ({@link WarmUpOperator}); the fitted value is the raw
 * distribution's bucket counts followed by its document count.
 */
public final class DsirStage implements WarmUpStage<long[]> {
  private static final long serialVersionUID = 1L;

  private final byte[] modelFile;
  private final String modelName;
  private transient DsirModel model;

  private DsirStage(byte[] modelFile, String modelName) {
    this.modelFile = modelFile;
    this.modelName = modelName;
  }

  /**
   * Reads and checks the configured model file; a missing or invalid file is an error naming it.
   */
  public static DsirStage of(DsirSection cfg) {
    Path file = Path.of(cfg.model);
    try {
      byte[] bytes = Files.readAllBytes(file);
      DsirStage stage = new DsirStage(bytes, file.toString());
      stage.open();
      return stage;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "dsir.model: the DSIR model file "
              + file
              + " does not exist "
              + "(write one with `winnow dsir fit --target ... --output "
              + file
              + "`)",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "dsir.model: cannot use the DSIR model file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether the model file brings its own raw distribution (no warm-up then). */
  public boolean hasRaw() {
    return model.hasRaw();
  }

  @Override
  public TypeInformation<long[]> fittedType() {
    return PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;
  }

  @Override
  public void open() throws IOException {
    model = DsirModel.load(new ByteArrayInputStream(modelFile), modelName);
  }

  @Override
  public long[] given() {
    return model.hasRaw() ? encode(model.raw()) : null;
  }

  @Override
  public long[] fit(List<DocRecord> sample) {
    return encode(NgramDistribution.fit(model.config(), sample.stream().map(d -> d.text).toList()));
  }

  @Override
  public void use(long[] fitted) {
    long[] counts = Arrays.copyOf(fitted, fitted.length - 1);
    model =
        model.withRaw(
            new NgramDistribution(counts, Arrays.stream(counts).sum(), fitted[fitted.length - 1]));
  }

  @Override
  public void annotate(DocRecord d) {
    double w = model.logWeight(d.text);
    d.annotations =
        Annotations.with(d.annotations, "dsir", o -> Annotations.putFinite(o, "log_weight", w));
  }

  private static long[] encode(NgramDistribution raw) {
    long[] out = Arrays.copyOf(raw.counts(), raw.counts().length + 1);
    out[raw.counts().length] = raw.documents();
    return out;
  }
}
