package org.workforcewatch.returns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the returns Workforce Watch produces ({@code workforce.returns.*}).
 *
 * @param lea the authority's 3-digit LEA code for the census return's Header/Source. Left unset, it is looked up for
 *            {@code workforce.authority.area-code} in the Department's published workforce file
 *            ({@value #PUBLISHED}, columns old_la_code and new_la_code). Anything but 3 digits stops start-up.
 */
@ConfigurationProperties("workforce.returns")
public record ReturnSettings(String lea) {

    static final String PUBLISHED = "reference/dfe-csww/csww_indicators_2017_to_2025.csv";
    private static final Pattern LEA = Pattern.compile("\\d{3}");

    public ReturnSettings {
        if (lea != null && lea.isBlank()) {
            lea = null;
        }
        if (lea != null && !LEA.matcher(lea.strip()).matches()) {
            throw new IllegalArgumentException("Invalid returns settings: workforce.returns.lea '" + lea + "' is not an LEA"
                    + " code (3 digits, e.g. 873), or leave it unset to look it up for workforce.authority.area-code");
        }
        lea = lea == null ? null : lea.strip();
    }

    /**
     * The LEA code written in the census return, and the area code it was looked up for when it is not configured
     * (null when it is configured, or when neither gives one).
     */
    record Lea(String code, String areaCode) {

        /** An LEA code given as such (configured, or none at all). */
        static Lea configured(String code) {
            return new Lea(code, null);
        }

        /** Whether the code was looked up for the area code rather than configured. */
        boolean lookedUp() {
            return code != null && areaCode != null;
        }
    }

    /**
     * The LEA code: as configured, else the published one of the area code; no code when neither gives one. Looking it
     * up reads the published file: resolve it once, at start-up, not per request.
     */
    Lea leaFor(String areaCode) {
        if (lea != null) {
            return Lea.configured(lea);
        }
        return published(areaCode).map(code -> new Lea(code, areaCode)).orElse(Lea.configured(null));
    }

    /** The 3-digit code the Department's published file gives an ONS area code. */
    static Optional<String> published(String areaCode) {
        if (areaCode == null) {
            return Optional.empty();
        }
        try (InputStream in = ReturnSettings.class.getClassLoader().getResourceAsStream(PUBLISHED)) {
            if (in == null) {
                return Optional.empty();
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> header = Arrays.asList(reader.readLine().split(",", -1));
            int old = header.indexOf("old_la_code");
            int area = header.indexOf("new_la_code");
            return reader.lines().map(line -> line.split(",", -1))
                    .filter(cells -> cells.length > Math.max(old, area) && areaCode.equals(cells[area])
                            && LEA.matcher(cells[old]).matches())
                    .map(cells -> cells[old]).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
