package org.workforcewatch.ingest;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 CSV reader fed with text as it arrives, in pieces of any size: quoted fields may hold
 * separators, doubled quotes and line breaks, and may span pieces. Records carry the line number they
 * start on, so every problem can be located. Blank lines are skipped. A field longer than the limit is
 * refused without being kept, so a stray quote cannot make it hold the rest of a file in memory.
 */
final class CsvParser {

    interface Sink {
        void record(long line, List<String> fields);

        void problem(long line, String reason);
    }

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private final Sink sink;
    private final int maxFieldLength;
    private final StringBuilder field = new StringBuilder();
    private List<String> fields = new ArrayList<>();
    private State state = State.FIELD_START;
    private long line = 1;
    private long recordLine = 1;
    private boolean afterCr;
    private boolean tooLong;
    private String recordProblem;

    CsvParser(Sink sink, int maxFieldLength) {
        this.sink = sink;
        this.maxFieldLength = maxFieldLength;
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
                    } else {
                        state = State.UNQUOTED;
                        unquoted(c);
                    }
                }
                case UNQUOTED -> unquoted(c);
                case QUOTED -> {
                    if (c == '"') {
                        state = State.QUOTE_IN_QUOTED;
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
                        endField();
                    } else if (c == '\n' || c == '\r') {
                        endRecord(c);
                    } else {
                        if (recordProblem == null) {
                            recordProblem = "text after a closing quote: a quote inside a quoted field must be doubled (\"\")";
                        }
                        state = State.UNQUOTED;
                        append(c);
                    }
                }
            }
        }
    }

    private void unquoted(char c) {
        if (c == ',') {
            endField();
        } else if (c == '\n' || c == '\r') {
            endRecord(c);
        } else {
            append(c);
        }
    }

    private void append(char c) {
        if (field.length() < maxFieldLength) {
            field.append(c);
        } else {
            tooLong = true;
        }
    }

    private void endField() {
        if (tooLong && recordProblem == null) {
            recordProblem = "a field is longer than " + maxFieldLength + " characters";
        }
        fields.add(field.toString());
        field.setLength(0);
        tooLong = false;
        state = State.FIELD_START;
    }

    private void endRecord(char c) {
        endField();
        boolean blank = fields.size() == 1 && fields.get(0).isEmpty();
        if (recordProblem != null) {
            sink.problem(recordLine, recordProblem);
        } else if (!blank) {
            sink.record(recordLine, fields);
        }
        fields = new ArrayList<>(fields.size());
        recordProblem = null;
        line++;
        recordLine = line;
        afterCr = c == '\r';
    }

    /** The end of the text: the last record may lack a line end; an open quote is a problem. */
    void finish() {
        if (state == State.QUOTED) {
            sink.problem(recordLine, "a quoted field is never closed (unbalanced quote)");
            return;
        }
        if (state != State.FIELD_START || !fields.isEmpty()) {
            endRecord('\n');
        }
    }
}
