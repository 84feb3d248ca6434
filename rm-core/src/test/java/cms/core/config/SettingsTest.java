package cms.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Typed settings: values, defaults, and errors that name the key. */
class SettingsTest {

    private final Settings settings = new Settings(Map.of(
            "CMS_NAME", "  rm-1 ", "CMS_BLANK", "   ", "CMS_PORT", " 8080 ", "CMS_SHARE", "0.75",
            "CMS_WORD", "lots", "CMS_BIG", "70000", "CMS_TICK_MS", "250"));

    @Test
    void stringIsTrimmedAndBlankTakesTheDefault() {
        assertEquals("rm-1", settings.string("CMS_NAME", "x"));
        assertEquals("x", settings.string("CMS_BLANK", "x"));
        assertEquals("x", settings.string("CMS_MISSING", "x"));
        assertNull(settings.string("CMS_MISSING", null));
    }

    @Test
    void integerParsesWithinBoundsAndDefaults() {
        assertEquals(8080, settings.integer("CMS_PORT", 1, 1, 65535));
        assertEquals(8080, settings.integer("CMS_PORT", 1, 8080, 8080), "bounds are inclusive");
        assertEquals(7, settings.integer("CMS_MISSING", 7, 1, 10));
        assertEquals(7, settings.integer("CMS_BLANK", 7, 1, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "12.5", "0x10", "99999999999"})
    void integerRefusesWhatIsNotAWholeNumber(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Settings(Map.of("CMS_N", value)).integer("CMS_N", 1, 0, 100));
        assertEquals("CMS_N: not a whole number: '" + value + "'", e.getMessage());
    }

    @Test
    void integerOutOfRangeNamesKeyAndBounds() {
        ConfigException e = assertThrows(ConfigException.class, () -> settings.integer("CMS_BIG", 1, 1, 65535));
        assertEquals("CMS_BIG: 70000 is outside [1, 65535]", e.getMessage());
        assertThrows(ConfigException.class, () -> settings.integer("CMS_PORT", 1, 8081, 9000));
    }

    @Test
    void decimalParsesWithinBoundsAndDefaults() {
        assertEquals(0.75, settings.decimal("CMS_SHARE", 0.5, 0.0, 1.0));
        assertEquals(0.5, settings.decimal("CMS_MISSING", 0.5, 0.0, 1.0));
    }

    @Test
    void decimalErrorsNameTheKey() {
        ConfigException word = assertThrows(ConfigException.class, () -> settings.decimal("CMS_WORD", 0, 0, 1));
        assertEquals("CMS_WORD: not a number: 'lots'", word.getMessage());
        ConfigException range = assertThrows(ConfigException.class,
                () -> settings.decimal("CMS_SHARE", 0, 0.8, 1.0));
        assertEquals("CMS_SHARE: 0.75 is outside [0.8, 1.0]", range.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity"})
    void decimalRefusesNonFiniteValues(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Settings(Map.of("CMS_D", value)).decimal("CMS_D", 0.5, 0.0, 1.0));
        assertTrue(e.getMessage().startsWith("CMS_D: "), e.getMessage());
    }

    @Test
    void millisReadsADurationAndDefaults() {
        Duration min = Duration.ofMillis(10);
        Duration max = Duration.ofSeconds(10);
        assertEquals(Duration.ofMillis(250), settings.millis("CMS_TICK_MS", Duration.ofSeconds(1), min, max));
        assertEquals(Duration.ofSeconds(1), settings.millis("CMS_MISSING", Duration.ofSeconds(1), min, max));
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings.millis("CMS_BIG", Duration.ofSeconds(1), min, max));
        assertEquals("CMS_BIG: 70000 ms is outside [10, 10000] ms", e.getMessage());
    }

    @Test
    void millisAcceptsAValueUnderALongMaximum() {
        assertEquals(Duration.ofMillis(250),
                settings.millis("CMS_TICK_MS", Duration.ofSeconds(1), Duration.ZERO, Duration.ofDays(30)));
    }

    @Test
    void withOverridesAndLeavesTheOriginal() {
        Settings changed = settings.with(Map.of("CMS_PORT", "9090", "CMS_NEW", "yes"));
        assertEquals(9090, changed.integer("CMS_PORT", 1, 1, 65535));
        assertEquals("yes", changed.string("CMS_NEW", "no"));
        assertEquals("rm-1", changed.string("CMS_NAME", "x"));
        assertEquals(8080, settings.integer("CMS_PORT", 1, 1, 65535));
    }

    @Test
    void maskedValuesHideSecretsAndSkipForeignKeys() {
        Settings s = new Settings(Map.of("CMS_KAFKA", "k:9092", "CMS_DB_PASSWORD", "hunter2",
                "CMS_API_TOKEN", "t0k", "CMS_CLIENT_SECRET", "s", "CMS_KAFKA_JAAS", "jaas", "HOME", "/root",
                "PASSWORD", "outside"));
        assertEquals(Map.of("CMS_KAFKA", "k:9092", "CMS_DB_PASSWORD", "****", "CMS_API_TOKEN", "****",
                "CMS_CLIENT_SECRET", "****", "CMS_KAFKA_JAAS", "****"), s.maskedCmsValues());
    }
}
