package dev.winnow.jobs.curation.files;

/** One input file of the file job: its position in the input order and its path. Flink POJO. */
public class InputFileRef {
  public int index;
  public String path;

  public InputFileRef() {}

  public static InputFileRef of(int index, String path) {
    InputFileRef f = new InputFileRef();
    f.index = index;
    f.path = path;
    return f;
  }
}
