package dev.winnow.selection.curriculum;

import java.io.Serializable;

/** Settings of {@link CurriculumPlanner}. Public mutable fields for a YAML/JSON binder. */
public class CurriculumConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  public DifficultyMeasure measure = DifficultyMeasure.PERPLEXITY;
  public Competence competence = Competence.SQRT;

  /**
   * Starting competence: the fraction of the data, easiest first, in the first stage (Platanios et
   * al.: 0.01).
   */
  public double c0 = 0.01;

  /** Number of stages the curriculum is cut into. */
  public int stages = 4;

  public void validate(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("config path must not be blank");
    }
    if (measure == null || competence == null) {
      throw new IllegalArgumentException(
          path + ".measure and " + path + ".competence must not be null");
    }
    if (!(c0 > 0 && c0 <= 1)) {
      throw new IllegalArgumentException(
          path + ".c0 = " + c0 + " is out of range: must be in (0, 1]");
    }
    if (stages < 1) {
      throw new IllegalArgumentException(
          path + ".stages = " + stages + " is out of range: must be >= 1");
    }
  }
}
