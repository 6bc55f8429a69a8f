package dev.winnow.selection.quality;

import java.io.Serializable;

/**
 * The settings of all four quality filters, bound from the {@code quality} section of a job config.
 * Every field starts at datatrove's default, so an empty section gives datatrove's filters.
 *
 * <pre>{@code
 * quality:
 *   gopherQuality: { minDocWords: 30 }
 *   c4: { enabled: false }
 * }</pre>
 */
public class QualityConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The path prefix that {@link #validate()} reports fields under. */
  public static final String DEFAULT_PATH = "quality";

  public GopherQualityConfig gopherQuality = new GopherQualityConfig();
  public GopherRepetitionConfig gopherRepetition = new GopherRepetitionConfig();
  public C4QualityConfig c4 = new C4QualityConfig();
  public FineWebQualityConfig fineWeb = new FineWebQualityConfig();

  /**
   * The datatrove whose rules the filters follow ({@link QualityPreset}): {@code datatrove-2024} or
   * {@code datatrove-0.10}.
   */
  public String preset = QualityPreset.DATATROVE_0_10.key();

  /**
   * The order the filters run in: {@code default} (Gopher quality, Gopher repetition, C4, FineWeb)
   * or {@code fineweb} (FineWeb's recipe: Gopher repetition, Gopher quality, C4, FineWeb). Only the
   * first reason of a document that breaks several rules depends on it.
   */
  public String order = "default";

  /** The preset as a value (call after {@link #validate()}). */
  public QualityPreset presetValue() {
    return QualityPreset.of(preset);
  }

  /** {@link #validate(String)} under {@value #DEFAULT_PATH}. */
  public void validate() {
    validate(DEFAULT_PATH);
  }

  /**
   * Checks every field of every filter; messages name e.g. {@code
   * "quality.gopherQuality.minDocWords"}.
   */
  public void validate(String path) {
    ConfigCheck.path(path);
    ConfigCheck.notNull(path, "gopherQuality", gopherQuality);
    ConfigCheck.notNull(path, "gopherRepetition", gopherRepetition);
    ConfigCheck.notNull(path, "c4", c4);
    ConfigCheck.notNull(path, "fineWeb", fineWeb);
    if (QualityPreset.of(preset) == null) {
      throw ConfigCheck.bad(
          path, "preset", String.valueOf(preset), "datatrove-2024 or datatrove-0.10", null);
    }
    if (!"default".equals(order) && !"fineweb".equals(order)) {
      throw ConfigCheck.bad(path, "order", String.valueOf(order), "default or fineweb", null);
    }
    gopherQuality.validate(path + ".gopherQuality");
    gopherRepetition.validate(path + ".gopherRepetition");
    c4.validate(path + ".c4");
    fineWeb.validate(path + ".fineWeb");
  }
}
