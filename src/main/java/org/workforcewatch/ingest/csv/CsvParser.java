package org.workforcewatch.ingest.csv;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 CSV reader fed with text as it arrives, in pieces of any size: quoted fields may hold
 * separators, doubled quotes and line breaks, and may span pieces. Records carry the line number they
 * start on, and problems the field they are in, so every problem can be located. Blank lines are
 * skipped. A record longer than the length limit, or with more fields than the field limit, is refused
 * and the rest of it is not kept, so a stray quote cannot make it hold the rest of a file in memory.
 */
final class CsvParser {

    interface Sink {
        void record(long line, List<String> fields);

        /** A record that cannot be read; {@code field} is the 1-based position of the field at fault. */
        void problem(long line, int field, String reason);
    }

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private final Sink sink;
    private final int maxRecordLength;
    private final int maxFields;
    private final StringBuilder field = new StringBuilder();
    private List<String> fields = new ArrayList<>();
    private State state = State.FIELD_START;
    private long line = 1;
    private long recordLine = 1;
    private boolean afterCr;
    private int recordLength;
    private String recordProblem;
    private int problemField;

    CsvParser(Sink sink, int maxRecordLength, int maxFields) {
        this.sink = sink;
        this.maxRecordLength = maxRecordLength;
        this.maxFields = maxFields;
    }

    void feed(CharBuffer chars) {
        while (chars.hasRemaining()) {
            char c = chars.get();
            boolean lfOfCrlf = afterCr && c == '\n';
            afterCr = false;
            if (lfOfCrlf && state != State.QUOTED) {
                continue; // the CR of this CRLF already ended the record
            }
            switch (state) {
                case FIELD_START -> {
                    if (c == '"') {
                        state = State.QUOTED;
                        count();
                    } else {
                        state = State.UNQUOTED;
                        unquoted(c);
                    }
                }
                case UNQUOTED -> unquoted(c);
                case QUOTED -> {
                    if (c == '"') {
                        state = State.QUOTE_IN_QUOTED;
                        count();
                    } else {
                        if ((c == '\n' && !lfOfCrlf) || c == '\r') {
                            line++;
                            afterCr = c == '\r';
                        }
                        append(c);
                    }
                }
                case QUOTE_IN_QUOTED -> {
                    if (c == '"') {
                        append('"');
                        state = State.QUOTED;
                    } else if (c == ',') {
                        separator();
                    } else if (c == '\n' || c == '\r') {
                        endRecord(c);
                    } else {
                        refuse("text after a closing quote: a quote inside a quoted field must be doubled (\"\")");
                        state = State.UNQUOTED;
                        append(c);
                    }
                }
            }
        }
    }

    private void unquoted(char c) {
        if (c == ',') {
            separator();
        } else if (c == '\n' || c == '\r') {
            endRecord(c);
        } else {
            append(c);
        }
    }

    /** Counts one character of the record; answers whether the record is still within the length limit. */
    private boolean count() {
        if (++recordLength > maxRecordLength) {
            refuse("the line is longer than " + maxRecordLength + " characters (quoted line breaks included)");
            return false;
        }
        return true;
    }

    private void append(char c) {
        if (count() && recordProblem == null) {
            field.append(c);
        }
    }

    /** The first problem of a record is the one reported; what follows it is no longer kept. */
    private void refuse(String reason) {
        if (recordProblem == null) {
            recordProblem = reason;
            problemField = fields.size() + 1;
            field.setLength(0);
            fields.clear();
        }
    }

    private void endField() {
        if (fields.size() == maxFields) {
            refuse("the line has more than " + maxFields + " fields");
        }
        if (recordProblem == null) {
            fields.add(field.toString());
        }
        field.setLength(0);
        state = State.FIELD_START;
    }

    private void separator() {
        count();
        endField();
    }

    private void endRecord(char c) {
        endField();
        boolean blank = fields.size() == 1 && fields.get(0).isEmpty();
        if (recordProblem != null) {
            sink.problem(recordLine, problemField, recordProblem);
        } else if (!blank) {
            sink.record(recordLine, fields);
        }
        fields = new ArrayList<>(fields.size());
        recordProblem = null;
        recordLength = 0;
        line++;
        recordLine = line;
        afterCr = c == '\r';
    }

    /** The end of the text: the last record may lack a line end; an open quote is a problem. */
    void finish() {
        if (state == State.QUOTED) {
            sink.problem(recordLine, recordProblem == null ? fields.size() + 1 : problemField,
                    "a quoted field is never closed (unbalanced quote)");
            return;
        }
        if (state != State.FIELD_START || !fields.isEmpty()) {
            endRecord('\n');
        }
    }
}
