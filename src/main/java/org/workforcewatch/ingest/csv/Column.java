package org.workforcewatch.ingest.csv;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * One column of a dataset as the contract defines it: its name, whether it is required, and the kind
 * of value it holds. {@link #canonical} turns a raw cell into the value that is stored, or says why it
 * cannot be.
 */
public record Column(String name, Kind kind, boolean required, List<String> allowed, BigDecimal min, boolean minExclusive,
              BigDecimal max, String whenBlank, java.util.Map<String, String> codes) {

    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_TEXT_LENGTH = 1000;

    public enum Kind { ID, TEXT, DATE, BOOLEAN, DECIMAL, INTEGER, ENUM, PUBLISHED_NUMBER, SSD_DATE, CODED }

    /** Symbols the Department for Education publishes in place of a number: no value, not an error. */
    static final java.util.Set<String> SUPPRESSION_SYMBOLS = java.util.Set.of("u", "z", "x", "c", ":", "low");

    /** The outcome of reading one cell: a stored value (null for blank) or a reason it is refused. */
    public record Cell(String value, String problem) {
        static final Cell BLANK = new Cell(null, null);

        static Cell refused(String problem) {
            return new Cell(null, problem);
        }

        public boolean ok() {
            return problem == null;
        }
    }

    public static Column id(String name, boolean required) {
        return new Column(name, Kind.ID, required, List.of(), null, false, null, null, null);
    }

    public static Column text(String name, boolean required) {
        return new Column(name, Kind.TEXT, required, List.of(), null, false, null, null, null);
    }

    public static Column date(String name, boolean required) {
        return new Column(name, Kind.DATE, required, List.of(), null, false, null, null, null);
    }

    public static Column bool(String name, boolean required) {
        return new Column(name, Kind.BOOLEAN, required, List.of(), null, false, null, null, null);
    }

    public static Column oneOf(String name, boolean required, String... allowed) {
        return new Column(name, Kind.ENUM, required, List.of(allowed), null, false, null, null, null);
    }

    public static Column decimal(String name, boolean required, String min, boolean minExclusive, String max) {
        return new Column(name, Kind.DECIMAL, required, List.of(), min == null ? null : new BigDecimal(min), minExclusive,
                max == null ? null : new BigDecimal(max), null, null);
    }

    /** A number in a published statistics file, where a suppression symbol means "no value". */
    public static Column published(String name) {
        return new Column(name, Kind.PUBLISHED_NUMBER, false, List.of(), null, false, null, null, null);
    }

    /**
     * A date as the Standard Safeguarding Dataset exports it: {@code YYYY-MM-DD}, with or without a time
     * ({@code YYYY-MM-DD HH:MM:SS[.fff]}), or {@code DD/MM/YYYY}; {@code 1900-01-01} is its "no date".
     */
    public static Column ssdDate(String name, boolean required) {
        return new Column(name, Kind.SSD_DATE, required, List.of(), null, false, null, null, null);
    }

    /**
     * A coded value that may arrive as a code or as its description: {@code codes} maps each accepted
     * spelling (matched ignoring case and surrounding spaces) to the stored value.
     */
    public static Column coded(String name, boolean required, java.util.Map<String, String> codes) {
        java.util.Map<String, String> byKey = new java.util.LinkedHashMap<>();
        codes.forEach((k, v) -> byKey.put(k.strip().toLowerCase(Locale.ROOT), v));
        return new Column(name, Kind.CODED, required, List.copyOf(codes.keySet()), null, false, null, null, byKey);
    }

    public static Column integer(String name, boolean required, String min) {
        return new Column(name, Kind.INTEGER, required, List.of(), new BigDecimal(min), false, null, null, null);
    }

    /** The same column, storing {@code value} where the cell is blank. */
    public Column withDefault(String value) {
        return new Column(name, kind, required, allowed, min, minExclusive, max, value, codes);
    }

    public Cell canonical(String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            if (whenBlank != null) {
                return new Cell(whenBlank, null);
            }
            return required ? Cell.refused("required value is blank") : Cell.BLANK;
        }
        if (v.indexOf('\0') >= 0) {
            return Cell.refused("contains a NUL character");
        }
        return switch (kind) {
            case ID -> v.length() > MAX_ID_LENGTH
                    ? Cell.refused("identifier is longer than " + MAX_ID_LENGTH + " characters")
                    : new Cell(v, null);
            case TEXT -> v.length() > MAX_TEXT_LENGTH
                    ? Cell.refused("text is longer than " + MAX_TEXT_LENGTH + " characters")
                    : new Cell(v, null);
            case DATE -> {
                LocalDate d = Dates.parse(v);
                if (d == null) {
                    yield Cell.refused("not a date: use YYYY-MM-DD or DD/MM/YYYY");
                }
                if (d.getYear() < 1900 || d.getYear() > 2199) {
                    yield Cell.refused("date is out of range (years 1900 to 2199)");
                }
                yield new Cell(v.charAt(4) == '-' ? v : d.toString(), null); // ISO input is already canonical
            }
            case BOOLEAN -> switch (v.toLowerCase(Locale.ROOT)) {
                case "y", "yes", "true", "1" -> new Cell("t", null);
                case "n", "no", "false", "0" -> new Cell("f", null);
                default -> Cell.refused("not a yes/no value: use Y/N, yes/no, true/false or 1/0");
            };
            case ENUM -> {
                for (String a : allowed) {
                    if (a.equalsIgnoreCase(v)) {
                        yield new Cell(a, null);
                    }
                }
                yield Cell.refused("not one of the allowed values: " + String.join(", ", allowed));
            }
            case DECIMAL, INTEGER -> number(v);
            case PUBLISHED_NUMBER -> SUPPRESSION_SYMBOLS.contains(v.toLowerCase(Locale.ROOT)) ? Cell.BLANK : number(v);
            case SSD_DATE -> ssdDate(v);
            case CODED -> {
                String stored = codes.get(v.toLowerCase(Locale.ROOT));
                yield stored != null ? new Cell(stored, null)
                        : Cell.refused("not one of the allowed codes: " + String.join(", ", allowed));
            }
        };
    }

    public static final String SSD_NO_DATE = "1900-01-01";

    private Cell ssdDate(String v) {
        String day = v;
        // a time of day is allowed and dropped: "2024-12-10 00:00:00.000" or "2024-12-10T09:30"
        if (v.length() > 10 && v.charAt(4) == '-' && (v.charAt(10) == ' ' || v.charAt(10) == 'T')) {
            try {
                java.time.LocalTime.parse(v.substring(11));
            } catch (java.time.format.DateTimeParseException e) {
                return Cell.refused("not a date: use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or DD/MM/YYYY");
            }
            day = v.substring(0, 10);
        }
        LocalDate d = Dates.parse(day);
        if (d == null) {
            return Cell.refused("not a date: use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or DD/MM/YYYY");
        }
        if (d.toString().equals(SSD_NO_DATE)) {
            return required ? Cell.refused("required date is the extract's \"no date\" (1900-01-01)") : Cell.BLANK;
        }
        if (d.getYear() < 1900 || d.getYear() > 2199) {
            return Cell.refused("date is out of range (years 1900 to 2199)");
        }
        return new Cell(d.toString(), null);
    }

    private Cell number(String v) {
        BigDecimal n;
        try {
            n = new BigDecimal(v);
        } catch (NumberFormatException e) {
            return Cell.refused(kind == Kind.INTEGER ? "not a whole number" : "not a number");
        }
        if (kind == Kind.INTEGER && n.stripTrailingZeros().scale() > 0) {
            return Cell.refused("not a whole number");
        }
        if (n.abs().compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
            return Cell.refused("number is out of range");
        }
        boolean belowMin = min != null && (minExclusive ? n.compareTo(min) <= 0 : n.compareTo(min) < 0);
        boolean aboveMax = max != null && n.compareTo(max) > 0;
        if (belowMin || aboveMax) {
            return Cell.refused("must be " + range());
        }
        return new Cell(kind == Kind.INTEGER ? n.toBigInteger().toString() : n.toPlainString(), null);
    }

    private String range() {
        String low = min == null ? null : (minExclusive ? "greater than " : "at least ") + min.toPlainString();
        String high = max == null ? null : "at most " + max.toPlainString();
        if (low != null && high != null) {
            return low + " and " + high;
        }
        return low != null ? low : high;
    }

    /** The PostgreSQL type of the staging column that receives this column's canonical values. */
    public String sqlType() {
        return switch (kind) {
            case DATE, SSD_DATE -> "date";
            case BOOLEAN -> "boolean";
            case DECIMAL, PUBLISHED_NUMBER -> "numeric";
            case INTEGER -> "bigint";
            default -> "text";
        };
    }

    /** Dates may be outside the DateTimeException-safe range; keep the check in one place. */
    public static final class Dates {
        private Dates() {
        }

        /** {@code YYYY-MM-DD} or UK {@code DD/MM/YYYY}; null when neither. */
        static LocalDate parse(String v) {
            try {
                if (v.length() == 10 && v.charAt(4) == '-' && v.charAt(7) == '-') {
                    return LocalDate.of(digits(v, 0, 4), digits(v, 5, 7), digits(v, 8, 10));
                }
                if (v.length() == 10 && v.charAt(2) == '/' && v.charAt(5) == '/') {
                    return LocalDate.of(digits(v, 6, 10), digits(v, 3, 5), digits(v, 0, 2));
                }
            } catch (DateTimeException | NumberFormatException e) {
                return null;
            }
            return null;
        }

        /** The number written by the ASCII digits s[from, to); NumberFormatException for anything else. */
        public static int digits(String s, int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    throw new NumberFormatException(s);
                }
                n = n * 10 + (c - '0');
            }
            return n;
        }
    }
}
