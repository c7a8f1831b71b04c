package org.workforcewatch.ingest.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer to a batch of events: how many were applied, acknowledged as duplicates and rejected, and
 * each line's outcome. Up to {@link #LIST_EVERY_LINE_UP_TO} lines every line is listed; in a larger
 * batch only the lines that were not simply applied (duplicates, rejections, warnings).
 */
public record EventReceipt(long accepted, long duplicates, long rejected, boolean allLinesListed, List<Outcome> results) {

    static final int LIST_EVERY_LINE_UP_TO = 1000;

    static final String APPLIED = "applied";
    static final String DUPLICATE = "duplicate";
    static final String REJECTED = "rejected";

    /** One line of the request (for a JSON array, the element's position), counted from 1. */
    public record Outcome(int line, String eventId, String type, String status,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<EventError> errors,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {

        boolean plainlyApplied() {
            return APPLIED.equals(status) && warnings.isEmpty();
        }
    }

    static EventReceipt of(List<Outcome> outcomes) {
        long accepted = 0;
        long duplicates = 0;
        long rejected = 0;
        for (Outcome o : outcomes) {
            switch (o.status()) {
                case APPLIED -> accepted++;
                case DUPLICATE -> duplicates++;
                default -> rejected++;
            }
        }
        boolean all = outcomes.size() <= LIST_EVERY_LINE_UP_TO;
        return new EventReceipt(accepted, duplicates, rejected, all,
                all ? outcomes : outcomes.stream().filter(o -> !o.plainlyApplied()).toList());
    }

    /** Nothing could be applied and nothing was a duplicate: the request as a whole is refused. */
    boolean everyLineRejected() {
        return accepted == 0 && duplicates == 0;
    }
}
