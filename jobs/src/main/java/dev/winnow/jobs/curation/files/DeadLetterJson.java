package dev.winnow.jobs.curation.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.DeadLetterRecord;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A dead letter as one JSON line of {@code deadletter/}: {@code reason}, {@code location} (where it
 * was read: {@code file:line}, {@code file@byte-offset}, {@code file:row N}, or the file of a
 * record the decode stage refused), {@code entry} (its index in the file) and, when the job held
 * the record's bytes, {@code value} (as text when it is UTF-8, else {@code value_base64}).
 */
public final class DeadLetterJson {
  private DeadLetterJson() {}

  public static byte[] value(DeadLetterRecord d) {
    ObjectNode o = DocumentJson.mapper().createObjectNode();
    o.put("reason", d.reason);
    o.put("location", d.topic);
    o.put("entry", d.offset);
    if (d.value != null) {
      try {
        o.put(
            "value",
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(d.value))
                .toString());
      } catch (CharacterCodingException e) {
        o.put("value_base64", Base64.getEncoder().encodeToString(d.value));
      }
    }
    try {
      return DocumentJson.mapper().writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
