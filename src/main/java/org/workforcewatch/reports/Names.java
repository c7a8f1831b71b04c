package org.workforcewatch.reports;

import java.util.Locale;
import org.workforcewatch.charts.IndicatorNames;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.spc.Xmr;

/**
 * What the board pack calls things: the indicators (as the charts name them), the verdicts and
 * severities in words, so that no meaning rests on colour alone.
 */
final class Names {

    private Names() {
    }

    static String indicator(Indicator indicator) {
        return IndicatorNames.name(indicator);
    }

    /** A severity as the board reads it in the pack and in its CSV tables alike: Green, Amber, Red; null where no value. */
    static String rag(String severity) {
        return severity == null ? null : severity(severity);
    }

    /** ok, amber, red as the board reads them (RAG); null (no value) as a dash. */
    static String severity(String severity) {
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

    static String variation(Xmr.Variation variation) {
        return switch (variation) {
            case COMMON_CAUSE -> "Common cause";
            case CONCERNING -> "Concerning";
            case IMPROVING -> "Improving";
            case NOT_ENOUGH_DATA -> "Not enough data";
        };
    }

    static String assurance(Xmr.Assurance assurance) {
        return switch (assurance) {
            case PASSING -> "Passing";
            case FAILING -> "Failing";
            case HIT_AND_MISS -> "Hit and miss";
            case NO_TARGET -> "No target";
            case NOT_ENOUGH_DATA -> "Not enough data";
        };
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
