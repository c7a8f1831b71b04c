package org.workforcewatch.csv;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV for people to open in a spreadsheet: rows of cells (nulls are empty cells), CRLF line ends, numbers
 * without exponents, and text a spreadsheet would run as a formula (a cell starting with =, +, -, @, tab or
 * carriage return) neutralised with a leading apostrophe, so an exported name can never execute.
 */
public final class Csv {

    private final StringBuilder out = new StringBuilder();

    public Csv(String... header) {
        row((Object[]) header);
    }

    public void row(Object... cells) {
        List<String> fields = new ArrayList<>();
        for (Object cell : cells) {
            fields.add(field(cell));
        }
        out.append(String.join(",", fields)).append("\r\n");
    }

    public static String field(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double d) {
            // Plain digits, never an exponent: 1.0E-4 would read as text in some spreadsheets.
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : BigDecimal.valueOf(d).toPlainString();
        }
        if (cell instanceof Number || cell instanceof Boolean) {
            return cell.toString();
        }
        return quote(neutralise(cell.toString()));
    }

    /** A leading apostrophe on text a spreadsheet would otherwise evaluate. */
    static String neutralise(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    static String quote(String text) {
        boolean needs = text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')
                || (!text.isEmpty() && (Character.isWhitespace(text.charAt(0)) || Character.isWhitespace(text.charAt(text.length() - 1))));
        return needs ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
