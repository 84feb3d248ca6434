package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's JSON without an ObjectMapper: the same trees as the mapper's, and text the mapper reads back the same. */
class JsonTreesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"message\":\"3 pod(s)\",\"data\":[{\"name\":\"light\",\"cpuLimit\":0.3,\"memoryMb\":100,\"paused\":false,"
            + "\"frontendPort\":null,\"nodes\":[],\"elasticity\":{\"enabled\":true,\"min\":1,\"max\":5}}],\"next\":\"b\"}",
        "[1, -2, 2147483648, 12345678901234567890123, 1.5, -0.0, 1e300, 2E-7, true, false, null, \"\\u00e9\\n\"]",
        "{\"a\":{\"b\":{\"c\":[[],{}]}},\"a2\":1,\"a2\":2}",
        "\"just text\"", "42", "null",
    })
    void theSameTreeAsTheMappers(String json) throws Exception {
        JsonNode ours = JsonTrees.parse(json);
        assertEquals(mapper.readTree(json), ours);
        assertEquals(mapper.readTree(json).toString(), ours.toString());
    }

    @Test
    void blankIsMissingAndBrokenIsAnError() throws Exception {
        assertTrue(JsonTrees.parse("  ").isMissingNode());
        assertThrows(IOException.class, () -> JsonTrees.parse("{broken"));
        assertThrows(IOException.class, () -> JsonTrees.parse("[1,"));
    }

    @Test
    void bodiesAsTheMapperWritesThem() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "p \"1\"");
        body.put("cpu", 0.3);
        body.put("memory_mb", 100);
        body.put("big", 1L << 40);
        body.put("paused", false);
        body.put("none", null);
        body.put("exact", new BigDecimal("0.1000"));
        body.put("huge", new BigInteger("123456789012345678901234567890"));
        body.put("payload", mapper.readTree("{\"n\":[1,2.5,\"x\",null,{\"deep\":true}]}"));
        body.put("list", List.of("a", 1, Map.of("k", "v")));
        byte[] ours = JsonTrees.write(body);
        assertEquals(mapper.readTree(mapper.writeValueAsBytes(body)), mapper.readTree(ours));
        assertEquals(new String(mapper.writeValueAsBytes(body), StandardCharsets.UTF_8),
                new String(ours, StandardCharsets.UTF_8));
    }

    @Test
    void anythingElseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JsonTrees.write(Map.of("when", new Object())));
        assertThrows(IllegalArgumentException.class, () -> JsonTrees.write(Arrays.asList(new int[]{1})));
    }
}
