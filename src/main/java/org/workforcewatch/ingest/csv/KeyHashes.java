package org.workforcewatch.ingest.csv;

/**
 * A set of 64-bit hashes of the keys seen in one file. Equal keys have equal hashes, so if no hash
 * repeats, no key repeats and the database need not search for duplicates; a repeated hash (or too
 * many keys to hold) only means the exact check must run. About 16 bytes a key.
 */
final class KeyHashes {

    private final int limit;
    private long[] slots = new long[1 << 12];
    private int size;
    private boolean zeroSeen;
    private boolean mayRepeat;

    KeyHashes(int limit) {
        this.limit = limit;
    }

    void add(String[] values, int[] keyAt) {
        if (mayRepeat) {
            return;
        }
        long h = hash(values, keyAt);
        if (h == 0) {
            mayRepeat |= zeroSeen;
            zeroSeen = true;
            return;
        }
        if (size >= limit) {
            mayRepeat = true;
            slots = new long[0];
            return;
        }
        if (size * 2 >= slots.length) {
            grow();
        }
        if (!insert(slots, h)) {
            mayRepeat = true;
        } else {
            size++;
        }
    }

    boolean mayRepeat() {
        return mayRepeat;
    }

    private static boolean insert(long[] table, long h) {
        int mask = table.length - 1;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (table[i] != 0) {
            if (table[i] == h) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = h;
        return true;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long h : slots) {
            if (h != 0) {
                insert(bigger, h);
            }
        }
        slots = bigger;
    }

    /** FNV-1a over the key's characters (with a separator between values), then a 64-bit finaliser. */
    static long hash(String[] values, int[] keyAt) {
        long h = 0xcbf29ce484222325L;
        for (int k : keyAt) {
            String v = values[k];
            if (v != null) {
                for (int i = 0; i < v.length(); i++) {
                    h = (h ^ v.charAt(i)) * 0x100000001b3L;
                }
            }
            h = (h ^ 0x1F) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
