package cms.web;

import cms.core.codec.EventCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The HTTP API's JSON, one convention for every route: keys are snake_case in and out. The contract's records keep
 * their Java names on Kafka (the topics' format does not change); here they are written through one mapper that
 * names their properties in snake_case, and the resource manager's replies, which reach the web as JSON already,
 * have their keys rewritten once ({@link #fromResourceManager}). Values are never touched: a job's payload or
 * result is the client's own JSON, and a map keyed by data (node counts by state) keeps its keys. Otherwise as the
 * event codec: times ISO-8601, absent when null.
 */
public final class ApiJson {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final ObjectMapper mapper;

    public ApiJson(EventCodec codec) {
        this.mapper = codec.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    /** The API's spelling of a key: {@code memoryMb} is {@code memory_mb}; a snake_case key stays as it is. */
    public static String key(String name) {
        return SNAKE.translate(name);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Any value as the API writes it; a value Jackson cannot write is a bug, thrown unchecked. */
    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * A resource manager's reply body in the API's spelling: every key of every object in it, as the contract's
     * records are written by {@link #write}. Its bodies are pods, nodes, hosts and their lists, whose maps are all
     * keyed by field names, never by data.
     */
    public JsonNode fromResourceManager(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = mapper.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(key(e.getKey()), fromResourceManager(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = mapper.createArrayNode();
            node.forEach(item -> out.add(fromResourceManager(item)));
            return out;
        }
        return node;
    }
}
