package dev.winnow.kernels.cpu;

/**
 * A weight matrix {@code [k, m]} (in × out) cut into column panels for {@link MatMul}: panel {@code
 * t} holds columns {@code [t·w, min(m, (t+1)·w))}, one {@code float[]} per input row.
 *
 * <p>Why: HotSpot C2 (JDK 17) vectorizes {@code acc[j] += x * row[j]} only when every array in the
 * loop is indexed by the same expression; with the row at an offset inside a larger array ({@code
 * b[p·m + j]}) it stays scalar, about 3× slower. Giving each panel row its own array makes the
 * inner loop offset-free. The panel width keeps one panel ({@code k × w} floats) within 256 KiB, so
 * it stays in L2 while a block of rows streams over it.
 */
final class PackedMatrix implements MatrixProducts.Packed {
  private static final int PANEL_BYTES = 256 * 1024;

  final int rows;
  final int cols;
  final int panelWidth;

  /** {@code panels[t][p]} = row {@code p} of panel {@code t}. */
  final float[][][] panels;

  private PackedMatrix(int rows, int cols, int panelWidth, float[][][] panels) {
    this.rows = rows;
    this.cols = cols;
    this.panelWidth = panelWidth;
    this.panels = panels;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  /** Packs row-major {@code b [k, m]}. */
  static PackedMatrix pack(float[] b, int k, int m) {
    int width = PANEL_BYTES / 4 / k;
    width = Math.max(64, Math.min(512, width / 16 * 16));
    width = Math.min(width, m);
    int count = (m + width - 1) / width;
    float[][][] panels = new float[count][k][];
    for (int t = 0; t < count; t++) {
      int j0 = t * width;
      int w = Math.min(width, m - j0);
      for (int p = 0; p < k; p++) {
        float[] row = new float[w];
        System.arraycopy(b, p * m + j0, row, 0, w);
        panels[t][p] = row;
      }
    }
    return new PackedMatrix(k, m, width, panels);
  }
}
