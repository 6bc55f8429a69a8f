package dev.winnow.jobs.cli;

import dev.winnow.jobs.config.KafkaSection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --kafka-properties FILE}: the Kafka client properties (security, timeouts) of every client
 * a command runs, as a Java properties file, the way Kafka's own tools take {@code
 * --command-config}. A picocli mixin of the commands that talk to Kafka.
 */
public final class KafkaPropertiesOption {
  @Option(
      names = "--kafka-properties",
      paramLabel = "FILE",
      description =
          "Kafka client properties file (e.g. "
              + "security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*) for every client of the command; over a config "
              + "file's kafka.properties.")
  Path file;

  /**
   * Adds the file's properties to the section (when given), which then names the file as their
   * source.
   */
  public KafkaSection applyTo(KafkaSection kafka) throws IOException {
    return file == null ? kafka : kafka.readProperties(file, "--kafka-properties");
  }

  /** The file's properties alone (empty when not given). */
  public Map<String, String> properties() throws IOException {
    return applyTo(new KafkaSection()).properties;
  }
}
