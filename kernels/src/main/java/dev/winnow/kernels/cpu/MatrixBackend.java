package dev.winnow.kernels.cpu;

import java.util.Locale;

/** The implementations of {@link MatrixProducts} the CPU engine can run on. */
public enum MatrixBackend {
    /** Pure Java ({@link MatMul}), split over the engine's worker threads: the reference and the fallback. */
    JAVA;

    /** The lower-case name used in options and messages. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
