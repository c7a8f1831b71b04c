package org.workforcewatch.indicators;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The capacity indicators of docs/DOMAIN.md. Ids are stable (metric label values). Each has a
 * {@link #polarity()}; today every one is "higher is worse". Defaults for thresholds, targets and lead officers are the performance framework's
 * starting point; configuration overrides them.
 */
public enum Indicator {
    CASELOAD_PER_FTE("caseload_per_fte", Unit.PER_FTE, 18, 22, 16,
            "Not enough capacity for direct work with children: caseloads (2022 focused visit)", "Head of Service", "caseload_per_fte"),
    WORKERS_OVER_CASELOAD("workers_over_caseload", Unit.COUNT, 1, 3, 0,
            "Caseloads too high (2022 focused visit)", "Team Manager", null),
    PA_CASELOAD_PER_FTE("pa_caseload_per_fte", Unit.PER_FTE, 25, 30, 20,
            "Personal adviser caseloads too high (2024 inspection)", "Head of Care Leavers Service", null),
    AGENCY_RATE("agency_rate", Unit.PERCENT, 15, 25, 10,
            "Continued use of agency staff (2024 inspection)", "HR Workforce Lead", "agency_rate"),
    VACANCY_RATE("vacancy_rate", Unit.PERCENT, 15, 25, 10,
            "Recruitment challenges (2022 focused visit)", "HR Workforce Lead", "vacancy_rate"),
    TURNOVER_RATE("turnover_rate", Unit.PERCENT, 15, 20, 12,
            "Staff turnover (2024 inspection)", "HR Workforce Lead", "turnover_rate"),
    WORKER_CHANGES("worker_changes", Unit.PERCENT, 20, 30, 15,
            "Too many changes of social worker (2024 inspection)", "Head of Service", null),
    ALLOCATION_WAIT("allocation_wait", Unit.COUNT, 1, 5, 0,
            "Timeliness of allocation (2022 focused visit)", "Head of Service, Front Door", null),
    SUPERVISION_OVERDUE("supervision_overdue", Unit.PERCENT, 10, 20, 5,
            "Too little time for reflective supervision (2022 focused visit)", "Principal Social Worker", null),
    INDUCTION_INCOMPLETE("induction_incomplete", Unit.PERCENT, 10, 20, 5,
            "Training and induction into the practice model (2022 focused visit)", "Principal Social Worker", null),
    ASSESSMENT_OUT_OF_DATE("assessment_out_of_date", Unit.PERCENT, 5, 10, 2,
            "Children in care without an up-to-date assessment (2024 inspection)", "Head of Children in Care", null),
    PA_LATE("pa_late", Unit.COUNT, 1, 5, 0,
            "Personal advisers not introduced early enough (2024 inspection)", "Head of Care Leavers Service", null),
    CARE_LEAVER_CONTACT_OVERDUE("care_leaver_contact_overdue", Unit.PERCENT, 10, 20, 5,
            "Personal adviser capacity: contact with care leavers (2024 inspection)", "Head of Care Leavers Service", null),
    OOH_COVER_GAP("ooh_cover_gap", Unit.COUNT, 1, 3, 0,
            "Out-of-hours service inconsistent, limited capacity (2024 inspection)", "Service Manager, Out of Hours", null),
    ABSENCE_RATE("absence_rate", Unit.PERCENT, 4, 6, 3,
            "Capacity: sickness absence", "HR Workforce Lead", "absence_rate"),
    AGENCY_NONCOMPLIANT("agency_noncompliant", Unit.COUNT, 1, 3, 0,
            "Continued use of agency staff: national agency rules (2024 inspection)", "HR Workforce Lead", null);

    /** How a value is formed from its numerator and denominator. */
    public enum Unit {
        /** numerator ÷ denominator × 100, as the Department for Education publishes rates. */
        PERCENT,
        /** numerator ÷ denominator (cases per FTE). */
        PER_FTE,
        /** the numerator itself; the denominator is the population it is counted in. */
        COUNT
    }

    /** Which way a rise points: what statistical process control calls improvement and what concern. */
    public enum Polarity {
        HIGHER_IS_WORSE, HIGHER_IS_BETTER;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String id;
    private final Unit unit;
    private final double amber;
    private final double red;
    private final double target;
    private final String finding;
    private final String leadOfficer;
    private final String publishedMeasure;

    Indicator(String id, Unit unit, double amber, double red, double target, String finding, String leadOfficer,
              String publishedMeasure) {
        this.id = id;
        this.unit = unit;
        this.amber = amber;
        this.red = red;
        this.target = target;
        this.finding = finding;
        this.leadOfficer = leadOfficer;
        this.publishedMeasure = publishedMeasure;
    }

    public String id() {
        return id;
    }

    public Unit unit() {
        return unit;
    }

    /**
     * Whether a higher value is worse or better. A switch with no default: a new indicator does not compile
     * until its polarity is stated. Every measure here counts a shortfall (caseloads, staff leaving or missing,
     * supervision, induction, assessments or contacts overdue), so a rise is worse.
     */
    public Polarity polarity() {
        return switch (this) {
            case CASELOAD_PER_FTE, WORKERS_OVER_CASELOAD, PA_CASELOAD_PER_FTE, AGENCY_RATE, VACANCY_RATE, TURNOVER_RATE,
                 WORKER_CHANGES, ALLOCATION_WAIT, SUPERVISION_OVERDUE, INDUCTION_INCOMPLETE, ASSESSMENT_OUT_OF_DATE, PA_LATE,
                 CARE_LEAVER_CONTACT_OVERDUE, OOH_COVER_GAP, ABSENCE_RATE, AGENCY_NONCOMPLIANT -> Polarity.HIGHER_IS_WORSE;
        };
    }

    public double defaultAmber() {
        return amber;
    }

    public double defaultRed() {
        return red;
    }

    public double defaultTarget() {
        return target;
    }

    /** The inspection finding this indicator monitors. */
    public String finding() {
        return finding;
    }

    public String defaultLeadOfficer() {
        return leadOfficer;
    }

    /** The benchmarks dataset's measure for the same figure, where the Department publishes one. */
    public Optional<String> publishedMeasure() {
        return Optional.ofNullable(publishedMeasure);
    }

    /**
     * The value from a numerator and denominator; empty where a rate has no denominator (a count has a
     * value wherever its population exists).
     */
    public Optional<Double> value(double numerator, double denominator) {
        return switch (unit) {
            case PERCENT -> denominator > 0 ? Optional.of(numerator / denominator * 100) : Optional.empty();
            case PER_FTE -> denominator > 0 ? Optional.of(numerator / denominator) : Optional.empty();
            case COUNT -> Optional.of(numerator);
        };
    }

    public static Optional<Indicator> byId(String id) {
        return Arrays.stream(values()).filter(i -> i.id.equals(id)).findFirst();
    }
}
