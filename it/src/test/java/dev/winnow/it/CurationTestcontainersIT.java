package dev.winnow.it;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end scenario as {@link CurationIT} against Testcontainers' Kafka (the
 * apache/kafka image). Where no Docker engine runs (as on the project's CI machine) the class is
 * skipped: "Docker is not available".
 */
@Testcontainers(disabledWithoutDocker = true)
class CurationTestcontainersIT {
  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

  @Test
  void everyDocumentLeavesExactlyOnceOverTestcontainersKafka(@TempDir Path dir) throws Exception {
    CurationIT.runScenario(KAFKA.getBootstrapServers(), dir, "tc", 0);
  }
}
