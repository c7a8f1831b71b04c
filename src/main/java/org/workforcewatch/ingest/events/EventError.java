package org.workforcewatch.ingest.events;

/** Why one event was refused: the field (null for the event as a whole), the value sent and the reason. */
public record EventError(String field, String value, String reason) {
}
