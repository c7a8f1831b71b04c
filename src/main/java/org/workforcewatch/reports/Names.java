package org.workforcewatch.reports;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.workforcewatch.charts.IndicatorNames;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.spc.Xmr;

/**
 * What the board pack calls things: the indicators (as the charts name them), the verdicts and
 * severities in words, so that no meaning rests on colour alone.
 */
final class Names {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.UK);

    private Names() {
    }

    static String indicator(Indicator indicator) {
        return IndicatorNames.name(indicator);
    }

    /** A severity as the board reads it in the pack and in its CSV tables alike: Green, Amber, Red; null where no value. */
    static String rag(String severity) {
        return severity == null ? null : severity(severity);
    }

    /** ok, amber, red as the board reads them (RAG), as the charts say them; null (no value) as a dash. */
    static String severity(String severity) {
        return IndicatorNames.severity(severity);
    }

    /** The variation verdict as the chart and the dashboard say it: "Special cause: concerning". */
    static String variation(Xmr.Variation variation) {
        return variation.words();
    }

    /**
     * The assurance verdict as the chart and the dashboard say it, capitalised for a table cell: "Consistently passes
     * the target"; for a changed process, since when and what to do: "Process changed since Jun 2026: rebase suggested".
     */
    static String assurance(Xmr.Assurance assurance, LocalDate processChangedSince) {
        if (assurance == Xmr.Assurance.PROCESS_CHANGED && processChangedSince != null) {
            return "Process changed since " + MONTH.format(processChangedSince) + ": rebase suggested";
        }
        String words = assurance.words();
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /**
     * A value in the indicator's unit as the board pack prints it: rates to one decimal place with a per cent
     * sign, caseloads per FTE to one decimal place, counts whole (one decimal place if a count is fractional).
     */
    static String value(Indicator indicator, Double value) {
        if (value == null) {
            return "–";
        }
        return switch (indicator.unit()) {
            case PERCENT -> String.format(Locale.UK, "%.1f%%", value);
            case PER_FTE -> String.format(Locale.UK, "%.1f", value);
            case COUNT -> value == Math.rint(value) ? String.format(Locale.UK, "%.0f", value) : String.format(Locale.UK, "%.1f", value);
        };
    }
}
