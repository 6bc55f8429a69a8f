package dev.winnow.prompt.llmlingua;

import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.model.ProxyLm;
import java.util.List;

final class SentenceBudget {
    SentenceBudget(ProxyLm lm, ContextRanker ranker) {
    }

    List<String> filter(List<String> context, double targetToken, CompressionRequest r, String question, String condition) {
        throw new UnsupportedOperationException("TODO");
    }
}
