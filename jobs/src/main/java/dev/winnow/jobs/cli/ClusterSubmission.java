package dev.winnow.jobs.cli;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What {@code --jobmanager} does: upload the job jar, run a command of it there, follow the job.
 */
final class ClusterSubmission {
  private static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");

  private ClusterSubmission() {}

  /**
   * Submits {@code args} (a winnow command line) in {@code jobJar}, its state restored from {@code
   * savepoint} (null: none); returns the exit code.
   */
  static int submit(
      JobManagerClient jm, Path jobJar, List<String> args, String savepoint, boolean detach)
      throws Exception {
    PrintStream err = System.err;
    if (!Files.isRegularFile(jobJar)) {
      throw new IllegalArgumentException(
          "job jar "
              + jobJar
              + " does not exist: build it (mvn -B package -DskipTests gives"
              + " jobs/target/winnow-jobs-*-job.jar) or give --job-jar FILE");
    }
    String jarId = jm.upload(jobJar);
    String jobId = jm.run(jarId, WinnowCli.class.getName(), args, savepoint);
    System.out.println("submitted job " + jobId);
    err.println("web UI: " + jm.address().resolve("/#/job/running/" + jobId));
    if (detach) {
      return 0;
    }
    String last = "";
    while (true) {
      String state = jm.state(jobId);
      if (!state.equals(last)) {
        err.println("job " + jobId + ": " + state);
        last = state;
      }
      if (ENDED.contains(state)) {
        return state.equals("FINISHED") ? 0 : 1;
      }
      Thread.sleep(2000);
    }
  }

  /**
   * A job configuration as JSON, every public field, for handing the configuration resolved here
   * (options, files, client properties) to the program on the cluster, where the files need not
   * exist.
   */
  static String toJson(Object config) {
    try {
      return MAPPER.writeValueAsString(config);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the job's configuration as JSON", e);
    }
  }

  /** A configuration written by {@link #toJson}. */
  static <T> T fromJson(String json, Class<T> type) throws java.io.IOException {
    return MAPPER.readValue(json, type);
  }

  /** Public fields only (no getters), unknown fields refused. */
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setVisibility(
              com.fasterxml.jackson.annotation.PropertyAccessor.ALL,
              com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
          .setVisibility(
              com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
              com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.PUBLIC_ONLY);

  /** The job jar beside the jar this class runs from ({@code -all.jar} → {@code -job.jar}). */
  static Path defaultJobJar() throws URISyntaxException {
    Path self =
        Path.of(
            ClusterSubmission.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String name = self.getFileName().toString();
    return self.resolveSibling(
        name.endsWith("-all.jar") ? name.replace("-all.jar", "-job.jar") : "winnow-jobs-job.jar");
  }
}
