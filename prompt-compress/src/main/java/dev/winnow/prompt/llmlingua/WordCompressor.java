package dev.winnow.prompt.llmlingua;

import dev.winnow.prompt.model.ProxyLm;
import java.util.List;

final class WordCompressor {
    WordCompressor(ProxyLm lm) {
    }

    String compress(List<String> context, double targetToken, int iterativeSize, int start, double[] dynamicRatio,
                    boolean conditionCompare) {
        throw new UnsupportedOperationException("TODO");
    }
}
