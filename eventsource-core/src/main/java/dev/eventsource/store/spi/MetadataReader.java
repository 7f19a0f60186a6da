package dev.eventsource.store.spi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eventsource.event.EventMetadata;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reads stored metadata in one pass over the parser's tokens, for the shape {@link EventMapper}
 * writes: an object with {@code actorId}, {@code correlationId}, {@code causationId} (strings or
 * {@code null}) and {@code extras} (an object of strings), in any order, other fields skipped. No
 * tree, no deserialization context, no reflection: reading metadata was as expensive as reading the
 * payload when it was built through {@code readTree}.
 *
 * <p>It declines (returns {@code null}) whatever is not that shape or does not read cleanly: not an
 * object, an id that is not a string, an extras value that is not a string, extras that are not an
 * object, malformed JSON, an id or extras key that {@link EventMetadata} refuses. The caller then
 * reads the text the general way, which decides those cases (and words their errors) as it always
 * has, so the two readings never disagree.
 */
final class MetadataReader {

    private MetadataReader() {
    }

    /** The metadata, or {@code null} when the general reading must decide (see the class comment). */
    static EventMetadata read(JsonFactory factory, String tenantId, String text) {
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            UUID actor = null;
            UUID correlation = null;
            UUID causation = null;
            Map<String, String> extras = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "actorId", "correlationId", "causationId" -> {
                        UUID id;
                        if (value == JsonToken.VALUE_NULL) {
                            id = null;
                        } else if (value == JsonToken.VALUE_STRING) {
                            id = UUID.fromString(p.getText());
                        } else {
                            return null;
                        }
                        switch (name) {
                            case "actorId" -> actor = id;
                            case "correlationId" -> correlation = id;
                            default -> causation = id;
                        }
                    }
                    case "extras" -> {
                        if (value != JsonToken.START_OBJECT) {
                            return null;
                        }
                        extras = new TreeMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            if (p.nextToken() != JsonToken.VALUE_STRING) {
                                return null;
                            }
                            extras.put(key, p.getText());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
            return new EventMetadata(tenantId, actor, correlation, causation, extras);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
