package cms.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import java.util.Map;

/** Typed fields of a JSON request body; a missing or mistyped field is a 400 that names it. */
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
            return new JsonBody(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw bad("body", "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static BadRequestResponse bad(String field, String message) {
        return new BadRequestResponse(field + ": " + message, Map.of("field", field));
    }

    /** Refuses a field that is not one of {@code known}: a misspelt optional field would be dropped silently. */
    void onlyFields(java.util.List<String> known) {
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
