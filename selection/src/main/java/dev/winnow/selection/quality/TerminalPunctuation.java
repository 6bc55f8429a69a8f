package dev.winnow.selection.quality;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * datatrove 0.10's {@code TERMINAL_PUNCTUATION} ({@code datatrove/utils/text.py}): the 159
 * sentence-ending marks of many scripts ({@code . ! ?}, the Devanagari danda, the Arabic question
 * mark, the ideographic full stop, ...), without {@code '} and {@code "}. The FineWeb filter of the
 * {@code datatrove-0.10} preset counts a line as ending in punctuation when its last code point is
 * one of them. The set is data, written out here in code-point order.
 */
final class TerminalPunctuation {
  private static final String MARKS =
      "\u0021\u002e\u003f\u0589\u061d\u061e\u061f\u06d4\u0700\u0701\u0702\u07f9\u0837\u0839\u083d\u083e\u0964\u0965\u104a\u104b\u1362\u1367\u1368\u166e\u1735\u1736\u17d4\u17d5\u17d6\u17d9\u17da\u1803\u1809\u1944\u1945\u1aa8\u1aa9\u1aaa\u1aab\u1b5a\u1b5b\u1b5e\u1b5f\u1b7d\u1b7e\u1c3b\u1c3c\u1c7e\u1c7f\u203c\u203d\u2047\u2048\u2049\u2e2e\u2e3c\u2e53\u2e54\u3002\ua4ff\ua60e\ua60f\ua6f3\ua6f7\ua876\ua877\ua8ce\ua8cf\ua92f\ua9c8\ua9c9\uaa5d\uaa5e\uaa5f\uaaf0\uaaf1\uabeb\ufe52\ufe56\ufe57\uff01\uff0e\uff1f\uff61\ud802\ude56\ud802\ude57\ud803\udf55\ud803\udf56\ud803\udf57\ud803\udf58\ud803\udf59\ud803\udf86\ud803\udf87\ud803\udf88\ud803\udf89\ud804\udc47\ud804\udc48\ud804\udcbe\ud804\udcbf\ud804\udcc0\ud804\udcc1\ud804\udd41\ud804\udd42\ud804\udd43\ud804\uddc5\ud804\uddc6\ud804\uddcd\ud804\uddde\ud804\udddf\ud804\ude38\ud804\ude39\ud804\ude3b\ud804\ude3c\ud804\udea9\ud805\udc4b\ud805\udc4c\ud805\uddc2\ud805\uddc3\ud805\uddc9\ud805\uddca\ud805\uddcb\ud805\uddcc\ud805\uddcd\ud805\uddce\ud805\uddcf\ud805\uddd0\ud805\uddd1\ud805\uddd2\ud805\uddd3\ud805\uddd4\ud805\uddd5\ud805\uddd6\ud805\uddd7\ud805\ude41\ud805\ude42\ud805\udf3c\ud805\udf3d\ud805\udf3e\ud806\udd44\ud806\udd46\ud806\ude42\ud806\ude43\ud806\ude9b\ud806\ude9c\ud807\udc41\ud807\udc42\ud807\udef7\ud807\udef8\ud807\udf43\ud807\udf44\ud81a\ude6e\ud81a\ude6f\ud81a\udef5\ud81a\udf37\ud81a\udf38\ud81a\udf44\ud81b\ude98\ud82f\udc9f\ud836\ude88";

  private static final Set<Integer> SET =
      MARKS.codePoints().boxed().collect(Collectors.toUnmodifiableSet());

  /** The marks' code points, sorted, for a lookup without boxing. */
  private static final int[] SORTED = MARKS.codePoints().distinct().sorted().toArray();

  private TerminalPunctuation() {}

  /** Whether {@code codePoint} is one of the marks (the plain set lookup, for tests). */
  static boolean inSet(int codePoint) {
    return SET.contains(codePoint);
  }

  /** How many marks the set holds. */
  static int size() {
    return SET.size();
  }

  /** Whether {@code line} ends with one of the marks. */
  static boolean endsWithMark(String line) {
    if (line.isEmpty()) {
      return false;
    }
    int c = line.codePointBefore(line.length());
    if (c < 0x80) {
      return c == '!' || c == '.' || c == '?'; // the set's only ASCII marks
    }
    return java.util.Arrays.binarySearch(SORTED, c) >= 0;
  }
}
