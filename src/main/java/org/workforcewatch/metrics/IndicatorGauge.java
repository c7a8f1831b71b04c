package org.workforcewatch.metrics;

import org.workforcewatch.indicators.Indicator;

/**
 * How an indicator appears in Prometheus: its gauge's name and the factor from the product's unit to the
 * base unit (a percentage becomes a ratio from 0 to 1). A count has no numerator gauge: its value is the
 * numerator.
 */
enum IndicatorGauge {
    CASELOAD_PER_FTE(Indicator.CASELOAD_PER_FTE, "workforce_caseload_per_fte", "Children allocated per case-holding social worker FTE"),
    WORKERS_OVER_CASELOAD(Indicator.WORKERS_OVER_CASELOAD, "workforce_workers_over_caseload",
            "Case-holding social workers whose caseload is above the limit"),
    PA_CASELOAD_PER_FTE(Indicator.PA_CASELOAD_PER_FTE, "workforce_pa_caseload_per_fte", "Care leavers per personal adviser FTE"),
    AGENCY_RATE(Indicator.AGENCY_RATE, "workforce_agency_ratio", "Agency share of social worker FTE (DfE agency rate as a ratio)"),
    VACANCY_RATE(Indicator.VACANCY_RATE, "workforce_vacancy_ratio", "Vacant share of social worker posts (DfE vacancy rate as a ratio)"),
    TURNOVER_RATE(Indicator.TURNOVER_RATE, "workforce_turnover_ratio",
            "Employed social worker leavers' FTE in 12 months over employed FTE (DfE turnover rate as a ratio)"),
    WORKER_CHANGES(Indicator.WORKER_CHANGES, "workforce_worker_changes_ratio",
            "Share of children with an open case who had 3 or more social workers in 12 months"),
    ALLOCATION_WAIT(Indicator.ALLOCATION_WAIT, "workforce_allocation_wait_referrals",
            "Referrals waiting longer than the allocation limit in working days"),
    SUPERVISION_OVERDUE(Indicator.SUPERVISION_OVERDUE, "workforce_supervision_overdue_ratio",
            "Share of case-holding staff overdue for supervision"),
    INDUCTION_INCOMPLETE(Indicator.INDUCTION_INCOMPLETE, "workforce_induction_incomplete_ratio",
            "Share of staff in post 90 days or more without completed induction or practice-model training"),
    ASSESSMENT_OUT_OF_DATE(Indicator.ASSESSMENT_OUT_OF_DATE, "workforce_assessment_out_of_date_ratio",
            "Share of children in care without an assessment in the last 12 months"),
    PA_LATE(Indicator.PA_LATE, "workforce_pa_late_children", "Young people in care of personal-adviser age with no personal adviser"),
    CARE_LEAVER_CONTACT_OVERDUE(Indicator.CARE_LEAVER_CONTACT_OVERDUE, "workforce_care_leaver_contact_overdue_ratio",
            "Share of care leavers with a personal adviser and no contact within the contact interval"),
    OOH_COVER_GAP(Indicator.OOH_COVER_GAP, "workforce_ooh_cover_gap_shifts",
            "Out-of-hours shifts in the coming cover period with fewer staff than required"),
    ABSENCE_RATE(Indicator.ABSENCE_RATE, "workforce_absence_ratio",
            "Sickness days lost in 12 months over employed FTE x 253 (DfE absence rate as a ratio)"),
    AGENCY_NONCOMPLIANT(Indicator.AGENCY_NONCOMPLIANT, "workforce_agency_noncompliant_workers",
            "Agency social workers breaking a national agency rule");

    private final Indicator indicator;
    private final String name;
    private final String help;

    IndicatorGauge(Indicator indicator, String name, String help) {
        this.indicator = indicator;
        this.name = name;
        this.help = help;
    }

    Indicator indicator() {
        return indicator;
    }

    String gaugeName() {
        return name;
    }

    String help() {
        return help;
    }

    boolean hasNumerator() {
        return indicator.unit() != Indicator.Unit.COUNT;
    }

    /** From the product's unit (percent, per FTE, count) to the base unit. */
    double toBase(double value) {
        return indicator.unit() == Indicator.Unit.PERCENT ? value / 100 : value;
    }

    static IndicatorGauge of(Indicator indicator) {
        return valueOf(indicator.name());
    }
}
