package cms.core.codec;

/**
 * Shares the Strings of values that repeat from one record to the next (a pod, a node, a source, a status): a
 * value read again is looked up by its characters, without making a String, and the instance seen before is
 * returned. A fixed number of slots, one String each (a value whose slot another takes is made anew the next time),
 * and only values of at most {@value #MAX_CHARS} characters: a stream of distinct values cannot make it grow.
 * Thread-safe without a lock: a slot holds an immutable String, read and replaced whole, and checked against the
 * characters before it is used (a race only costs a String made anew).
 */
final class StringCache {

    static final int MAX_CHARS = 64;

    private final String[] slots;

    /** {@code slots}: a power of two. */
    StringCache(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, not " + slots);
        }
        this.slots = new String[slots];
    }

    /** The text of {@code chars[offset, offset + length)}: the instance held when one equal to it is. */
    String get(char[] chars, int offset, int length) {
        if (length > MAX_CHARS) {
            return new String(chars, offset, length);
        }
        int hash = 0;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + chars[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (slots.length - 1);
        String held = slots[slot];
        if (held != null && same(held, chars, offset, length)) {
            return held;
        }
        String made = new String(chars, offset, length);
        slots[slot] = made;
        return made;
    }

    /** How many slots hold a String (at most the number of slots). */
    int size() {
        int n = 0;
        for (String s : slots) {
            n += s == null ? 0 : 1;
        }
        return n;
    }

    /** True when {@code held} has the text of {@code chars[offset, offset + length)}. */
    static boolean same(String held, char[] chars, int offset, int length) {
        if (held.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (held.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
