package cms.web;

import cms.core.model.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HttpResponseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Typed fields of a JSON request body, by their snake_case names; a missing or mistyped field is a 400 that names
 * it, and so is a field the route does not have ({@link #onlyFields}).
 */
final class JsonBody {

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody parse(ObjectMapper mapper, String text) {
        if (text == null || text.isBlank()) {
            return new JsonBody(mapper.createObjectNode());
        }
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || !node.isObject()) {
                throw bad("body", "must be a JSON object");
            }
            return new JsonBody(snakeKeys((ObjectNode) node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw bad("body", "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The body's keys in the API's spelling: a camelCase key (the old spelling of {@code jobId} and
     * {@code timeoutSeconds} on {@code POST /api/jobs}, accepted for now) is taken as its snake_case name; the same
     * field given in both spellings is a 400. Only the body's own keys: its values (a job's payload) are the
     * client's.
     */
    private static ObjectNode snakeKeys(ObjectNode body) {
        ObjectNode out = body.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = ApiJson.key(e.getKey());
            if (out.has(key)) {
                throw bad(key, "is given twice (as " + key + " and in another spelling)");
            }
            out.set(key, e.getValue());
        }
        return out;
    }

    /** A 400 naming the field, in the API's words ({@link Refusal#badField}). */
    static HttpResponseException bad(String field, String message) {
        return ApiErrors.refuse(Refusal.badField(field, message));
    }

    /** Refuses a field that is not one of {@code known}: a misspelt optional field would be dropped silently. */
    void onlyFields(List<String> known) {
        root.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw bad(f, "is not a field here; the fields are " + String.join(", ", known));
            }
        });
    }

    /** Any JSON value of the field; null when absent or JSON null. */
    JsonNode node(String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n;
    }

    String string(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad(field, "must be a string, got " + n);
        }
        return n.asText();
    }

    String requiredString(String field) {
        String value = string(field);
        if (value == null || value.isBlank()) {
            throw bad(field, "is required");
        }
        return value;
    }

    Integer integer(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isTextual()) {
            try {
                return Integer.parseInt(n.asText().trim());
            } catch (NumberFormatException e) {
                throw bad(field, "not a whole number: '" + n.asText() + "'");
            }
        }
        throw bad(field, "not a whole number: " + n);
    }

    int requiredInteger(String field) {
        Integer value = integer(field);
        if (value == null) {
            throw bad(field, "is required");
        }
        return value;
    }

    Double decimal(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        double value;
        if (n.isNumber()) {
            value = n.doubleValue();
        } else if (n.isTextual()) {
            try {
                value = Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                throw bad(field, "not a number: '" + n.asText() + "'");
            }
        } else {
            throw bad(field, "not a number: " + n);
        }
        if (!Double.isFinite(value)) {
            throw bad(field, "not a finite number: " + n);
        }
        return value;
    }

    double requiredDecimal(String field) {
        Double value = decimal(field);
        if (value == null) {
            throw bad(field, "is required");
        }
        return value;
    }
}
