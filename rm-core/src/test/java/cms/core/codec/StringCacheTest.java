package cms.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Equal texts read twice are one instance; distinct texts without end keep the cache at its slots. */
class StringCacheTest {

    private final StringCache cache = new StringCache(64);

    private String get(String text) {
        char[] chars = ("<<" + text + ">>").toCharArray();
        return cache.get(chars, 2, text.length());
    }

    @Test
    void anEqualTextReadAgainIsTheInstanceMadeTheFirstTime() {
        String first = get("pod-heavy");
        assertEquals("pod-heavy", first);
        assertSame(first, get("pod-heavy"));
        assertEquals("", get(""));
        assertEquals("pod-light", get("pod-light"));
        assertSame(first, get("pod-heavy"));
    }

    @Test
    void distinctTextsWithoutEndKeepItAtItsSlotsAndEachIsReadRight() {
        for (int i = 0; i < 100_000; i++) {
            assertEquals("job-" + i, get("job-" + i));
            assertTrue(cache.size() <= 64, () -> cache.size() + " held");
        }
        String pod = get("pod-a");
        assertSame(pod, get("pod-a"), "a text taken in again is shared again");
    }

    @Test
    void aLongTextIsMadeEachTimeAndNotHeld() {
        String longText = "x".repeat(StringCache.MAX_CHARS + 1);
        String first = get(longText);
        assertEquals(longText, first);
        assertNotSame(first, get(longText));
        assertEquals(0, cache.size());
        String longest = "y".repeat(StringCache.MAX_CHARS);
        assertSame(get(longest), get(longest));
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new StringCache(100));
        assertThrows(IllegalArgumentException.class, () -> new StringCache(0));
    }
}
