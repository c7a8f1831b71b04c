package org.workforcewatch.charts;

import org.workforcewatch.indicators.Indicator;

/**
 * What each indicator is called on a chart and in the board pack. A switch with no default: a new
 * indicator without a name here does not compile.
 */
public final class IndicatorNames {

    private IndicatorNames() {
    }

    public static String name(Indicator indicator) {
        return switch (indicator) {
            case CASELOAD_PER_FTE -> "Caseload per FTE";
            case WORKERS_OVER_CASELOAD -> "Workers over the caseload limit";
            case PA_CASELOAD_PER_FTE -> "Personal adviser caseload per FTE";
            case AGENCY_RATE -> "Agency rate";
            case VACANCY_RATE -> "Vacancy rate";
            case TURNOVER_RATE -> "Turnover rate";
            case WORKER_CHANGES -> "Children with 3 or more workers in 12 months";
            case ALLOCATION_WAIT -> "Referrals waiting beyond the allocation limit";
            case SUPERVISION_OVERDUE -> "Supervision overdue";
            case INDUCTION_INCOMPLETE -> "Induction incomplete";
            case ASSESSMENT_OUT_OF_DATE -> "Children in care without an up-to-date assessment";
            case PA_LATE -> "Children 17+ in care without a personal adviser";
            case CARE_LEAVER_CONTACT_OVERDUE -> "Care leavers with contact overdue";
            case OOH_COVER_GAP -> "Out-of-hours shifts short of cover";
            case ABSENCE_RATE -> "Sickness absence rate";
            case AGENCY_NONCOMPLIANT -> "Agency workers breaking national rules";
        };
    }

    /**
     * A severity as the board reads it (RAG), on a chart and in the board pack alike: ok, amber, red as Green, Amber, Red;
     * null (no value) as a dash.
     */
    public static String severity(String severity) {
        if (severity == null) {
            return "–";
        }
        return switch (severity) {
            case "ok" -> "Green";
            case "amber" -> "Amber";
            case "red" -> "Red";
            default -> severity;
        };
    }

    /** The value axis: a short name with the unit (%, per FTE, count), short enough to fit beside a small chart. */
    static String axis(Indicator indicator) {
        return switch (indicator) {
            case CASELOAD_PER_FTE -> "Children per FTE";
            case WORKERS_OVER_CASELOAD -> "Workers over limit";
            case PA_CASELOAD_PER_FTE -> "Care leavers per FTE";
            case AGENCY_RATE -> "Agency rate (%)";
            case VACANCY_RATE -> "Vacancy rate (%)";
            case TURNOVER_RATE -> "Turnover rate (%)";
            case WORKER_CHANGES -> "3+ workers (%)";
            case ALLOCATION_WAIT -> "Referrals waiting";
            case SUPERVISION_OVERDUE -> "Overdue (%)";
            case INDUCTION_INCOMPLETE -> "Incomplete (%)";
            case ASSESSMENT_OUT_OF_DATE -> "Out of date (%)";
            case PA_LATE -> "Young people";
            case CARE_LEAVER_CONTACT_OVERDUE -> "Contact overdue (%)";
            case OOH_COVER_GAP -> "Shift-days short";
            case ABSENCE_RATE -> "Absence rate (%)";
            case AGENCY_NONCOMPLIANT -> "Agency workers";
        };
    }
}
