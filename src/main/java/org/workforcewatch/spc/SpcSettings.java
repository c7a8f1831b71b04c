package org.workforcewatch.spc;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the XmR charts are judged ({@code workforce.spc}). docs/SPC.md explains both choices.
 *
 * <pre>
 * workforce.spc:
 *   min-points: 12         # points a baseline needs before its limits give verdicts (Making Data Count: at least 12)
 *   fix-after-points: 0    # 0: limits from every point of a baseline; n: from its first n points only, then held
 * </pre>
 *
 * Limits are not fixed by default: a chart shows the latest {@value Spc#MONTHS} months, so without a recorded
 * baseline the "first n points" would move every month. A council that records its baselines
 * (POST /api/spc/baselines) may fix them. A bad value stops start-up with its key.
 */
@ConfigurationProperties("workforce.spc")
public record SpcSettings(Integer minPoints, Integer fixAfterPoints) {

    public static final int DEFAULT_MIN_POINTS = 12;

    /** The defaults: judge from 12 points, limits not fixed. */
    public static final SpcSettings DEFAULTS = new SpcSettings(null, null);

    public SpcSettings {
        minPoints = minPoints == null ? DEFAULT_MIN_POINTS : minPoints;
        fixAfterPoints = fixAfterPoints == null ? 0 : fixAfterPoints;
        if (minPoints < 2 || minPoints > Spc.MONTHS) {
            throw new IllegalArgumentException("workforce.spc.min-points must be from 2 to " + Spc.MONTHS + " (the months a chart"
                    + " covers); got " + minPoints);
        }
        if (fixAfterPoints != 0 && fixAfterPoints < minPoints) {
            throw new IllegalArgumentException("workforce.spc.fix-after-points must be 0 (not fixed) or at least min-points ("
                    + minPoints + "): limits held from fewer points than a verdict needs would be less settled; got "
                    + fixAfterPoints);
        }
    }

    /** Whether limits are fixed after the first {@link #fixAfterPoints()} points of each baseline. */
    public boolean fixed() {
        return fixAfterPoints > 0;
    }
}
