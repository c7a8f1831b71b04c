package org.workforcewatch.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.http.MediaType;
import org.workforcewatch.ingest.DataChanged;
import org.workforcewatch.ingest.Fixtures;

/** Every live event type lands in the table its dataset is imported into, committed before the answer. */
class EventApplyTest extends EventTest {

    @Autowired
    private ApplicationEventMulticaster multicaster;



    @Test
    void everyEventTypeAppliesToItsTable() {
        ndjson("""
                {"type": "staff_started", "occurred_at": "2026-11-23T09:00:00Z", "event_id": "e1", "staff_id": "S9", "team_id": "T1", "role": "asye", "employment": "permanent", "fte": 0.8, "start_date": "2026-11-23", "case_holding": true, "qualified_date": "2026-07-01"}
                {"type": "staff_left", "occurred_at": "2026-11-23T09:01:00Z", "event_id": "e2", "staff_id": "S2", "end_date": "2026-11-20", "leaving_reason": "end_of_contract"}
                {"type": "allocation_started", "occurred_at": "2026-11-23T09:02:00Z", "event_id": "e3", "allocation_id": "A9", "child_id": "C9", "staff_id": "S9", "case_type": "cin", "start_date": "2026-11-23"}
                {"type": "allocation_ended", "occurred_at": "2026-11-23T09:03:00Z", "event_id": "e4", "allocation_id": "A9", "end_date": "2026-11-24", "change_reason": "LEFTRL"}
                {"type": "referral_received", "occurred_at": "2026-11-23T09:04:00Z", "event_id": "e5", "referral_id": "R9", "child_id": "C9", "team_id": "T1", "referral_date": "2026-11-20"}
                {"type": "referral_allocated", "occurred_at": "2026-11-23T09:05:00Z", "event_id": "e6", "referral_id": "R9", "allocated_date": "23/11/2026"}
                {"type": "supervision_recorded", "occurred_at": "2026-11-23T09:06:00Z", "event_id": "e7", "staff_id": "S9", "supervision_date": "2026-11-23", "kind": "Reflective"}
                {"type": "care_leaver_updated", "occurred_at": "2026-11-23T09:07:00+01:00", "event_id": "e8", "child_id": "C5", "date_of_birth": "2005-01-01", "eligibility": "former_relevant", "pa_staff_id": "S1", "in_touch": "yes", "latest_contact_date": "2026-11-20"}
                """)
                .expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(8)
                .jsonPath("$.duplicates").isEqualTo(0)
                .jsonPath("$.rejected").isEqualTo(0)
                .jsonPath("$.all_lines_listed").isEqualTo(true)
                .jsonPath("$.results.length()").isEqualTo(8)
                .jsonPath("$.results[0].line").isEqualTo(1)
                .jsonPath("$.results[0].event_id").isEqualTo("e1")
                .jsonPath("$.results[0].type").isEqualTo("staff_started")
                .jsonPath("$.results[0].status").isEqualTo("applied");

        assertThat(one("SELECT role || ' ' || fte || ' ' || case_holding || ' ' || coalesce(end_date::text, 'open') || ' '"
                + " || source || ' ' || coalesce(import_id::text, 'no import') FROM staff_spells WHERE staff_id = 'S9'"))
                .isEqualTo("asye 0.8000 true open event no import");
        assertThat(one("SELECT end_date || ' ' || leaving_reason FROM staff_spells WHERE staff_id = 'S2'"))
                .isEqualTo("2026-11-20 end_of_contract");
        assertThat(one("SELECT staff_id || ' ' || start_date || ' ' || end_date || ' ' || change_reason FROM allocations"
                + " WHERE allocation_id = 'A9'")).isEqualTo("S9 2026-11-23 2026-11-24 LEFTRL");
        assertThat(one("SELECT team_id || ' ' || referral_date || ' ' || allocated_date FROM referrals WHERE referral_id = 'R9'"))
                .isEqualTo("T1 2026-11-20 2026-11-23");
        assertThat(one("SELECT kind FROM supervision WHERE staff_id = 'S9' AND supervision_date = '2026-11-23'"))
                .isEqualTo("reflective");
        assertThat(one("SELECT eligibility || ' ' || pa_staff_id || ' ' || latest_contact_date FROM care_leavers"
                + " WHERE child_id = 'C5'")).isEqualTo("former_relevant S1 2026-11-20");
        assertThat(one("SELECT string_agg(type || '@' || occurred_at AT TIME ZONE 'UTC', ',' ORDER BY line) FROM events"
                + " WHERE event_id IN ('e1', 'e8')")).isEqualTo("staff_started@2026-11-23 09:00:00,care_leaver_updated@2026-11-23 08:07:00");
        assertThat(one("SELECT payload->>'role' FROM events WHERE event_id = 'e1'")).isEqualTo("asye");
    }

    @Test
    void aSingleJsonObjectIsOneEventAndIsReadableAsSoonAsTheAnswerArrives() {
        web.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                {
                  "type": "supervision_recorded",
                  "occurred_at": "2026-11-23T10:15:00Z",
                  "staff_id": "S1",
                  "supervision_date": "2026-11-23"
                }
                """).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(1)
                .jsonPath("$.results[0].line").isEqualTo(1)
                .jsonPath("$.results[0].status").isEqualTo("applied");
        // Read on another connection straight after the answer: the transaction had committed.
        assertThat(one("SELECT kind FROM supervision WHERE staff_id = 'S1'")).isEqualTo("formal");
        assertThat(count("events")).isEqualTo(1);
    }

    @Test
    void aJsonArrayIsABatchWhoseLinesAreTheElementPositions() {
        web.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                [{"type": "supervision_recorded", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S1", "supervision_date": "2026-11-01"},
                 {"type": "supervision_recorded", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S404", "supervision_date": "2026-11-02"},
                 {"type": "supervision_recorded", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S2", "supervision_date": "2026-11-03"}]
                """).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(2)
                .jsonPath("$.rejected").isEqualTo(1)
                .jsonPath("$.results[1].line").isEqualTo(2)
                .jsonPath("$.results[1].status").isEqualTo("rejected")
                .jsonPath("$.results[1].errors[0].field").isEqualTo("staff_id");
        assertThat(count("supervision")).isEqualTo(2);
    }

    @Test
    void endingEventsChangeOnlyTheirFieldsOfStoredRecords() {
        upload("allocations", Fixtures.VALID.get("allocations")).expectStatus().isCreated();
        upload("referrals", Fixtures.VALID.get("referrals")).expectStatus().isCreated();
        ndjson("""
                {"type": "allocation_ended", "occurred_at": "2026-11-23T10:00:00Z", "allocation_id": "A1", "end_date": "2026-11-22"}
                {"type": "referral_allocated", "occurred_at": "2026-11-23T10:00:00Z", "referral_id": "R2", "allocated_date": "2026-11-23"}
                {"type": "staff_left", "occurred_at": "2026-11-23T10:00:00Z", "staff_id": "S1", "team_id": "T1", "start_date": "2022-01-10", "end_date": "2026-11-21", "leaving_reason": "retired"}
                """).expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(3);
        assertThat(one("SELECT child_id || ' ' || staff_id || ' ' || case_type || ' ' || start_date || ' ' || end_date"
                + " || ' ' || coalesce(change_reason, '-') FROM allocations WHERE allocation_id = 'A1'"))
                .isEqualTo("C1 S1 cin 2024-01-05 2026-11-22 -");
        assertThat(one("SELECT child_id || ' ' || referral_date || ' ' || allocated_date FROM referrals WHERE referral_id = 'R2'"))
                .isEqualTo("C3 2024-11-20 2026-11-23");
        assertThat(one("SELECT role || ' ' || employment || ' ' || end_date || ' ' || leaving_reason || ' ' || qualified_date"
                + " FROM staff_spells WHERE staff_id = 'S1'")).isEqualTo("social_worker permanent 2026-11-21 retired 2015-07-01");
        assertThat(one("SELECT count(*) FROM staff_spells WHERE end_date IS NULL")).isEqualTo("1");
    }

    @Test
    void aCareLeaverKeepsEveryVersionTheEventsChanged() {
        String event = """
                {"type": "care_leaver_updated", "occurred_at": "2026-11-23T10:00:00Z", "child_id": "C5", "date_of_birth": "2005-01-01", "eligibility": "%s", "pa_staff_id": "S1", "latest_contact_date": "%s"}
                """;
        ndjson(event.formatted("relevant", "2026-10-01")).expectStatus().isOk();
        ndjson(event.formatted("former_relevant", "2026-11-01")).expectStatus().isOk();
        ndjson(event.formatted("former_relevant", "2026-11-01")).expectStatus().isOk()
                .expectBody().jsonPath("$.accepted").isEqualTo(1);
        assertThat(one("SELECT string_agg(eligibility || '@' || latest_contact_date, ' then ' ORDER BY event_batch)"
                + " FROM care_leaver_history WHERE child_id = 'C5' AND import_id IS NULL"))
                .isEqualTo("relevant@2026-10-01 then former_relevant@2026-11-01");
        assertThat(count("care_leavers")).isEqualTo(1);
        assertThat(count("events")).isEqualTo(3);
    }

    @Test
    void dataChangedIsPublishedForTheEventsDatasetAfterCommit() {
        List<String> changed = new CopyOnWriteArrayList<>();
        // What a listener reading the data on hearing the news sees: the committed row.
        ApplicationListener<PayloadApplicationEvent<DataChanged>> listener = e -> db.sql("SELECT count(*) AS n FROM supervision")
                .map(r -> r.get("n", Long.class)).one()
                .subscribe(n -> changed.add(e.getPayload().dataset() + ":" + e.getPayload().importId() + ":" + n));
        multicaster.addApplicationListener(listener);
        try {
            ndjson("""
                    {"type": "supervision_recorded", "occurred_at": "2026-11-23T10:15:00Z", "staff_id": "S1", "supervision_date": "2026-11-23"}
                    """).expectStatus().isOk();
            await().atMost(Duration.ofSeconds(5)).until(() -> !changed.isEmpty());
            assertThat(changed).containsExactly("supervision:0:1");
        } finally {
            multicaster.removeApplicationListener(listener);
        }
    }

    @Test
    void thousandsOfEventsInOneRequestAreAppliedTogetherAndOnlyTheExceptionsAreListed() {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            String staff = i == 4000 ? "S404" : "S" + (1 + i % 2);
            body.append("{\"type\": \"allocation_started\", \"occurred_at\": \"2026-11-23T10:15:00Z\", \"event_id\": \"big-")
                    .append(i).append("\", \"allocation_id\": \"B").append(i).append("\", \"child_id\": \"C").append(i % 700)
                    .append("\", \"staff_id\": \"").append(staff).append("\", \"case_type\": \"cin\", \"start_date\": \"2026-11-01\"}\n");
        }
        ndjson(body.toString()).expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(4999)
                .jsonPath("$.rejected").isEqualTo(1)
                .jsonPath("$.all_lines_listed").isEqualTo(false)
                .jsonPath("$.results.length()").isEqualTo(1)
                .jsonPath("$.results[0].line").isEqualTo(4000)
                .jsonPath("$.results[0].errors[0].value").isEqualTo("S404");
        assertThat(count("allocations")).isEqualTo(4999);
        assertThat(count("events")).isEqualTo(4999);
    }
}
