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
    gopherQuality.validate(path + ".gopherQuality");
    gopherRepetition.validate(path + ".gopherRepetition");
    c4.validate(path + ".c4");
    fineWeb.validate(path + ".fineWeb");
  }
}
