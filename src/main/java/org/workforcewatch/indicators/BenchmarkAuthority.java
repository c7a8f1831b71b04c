package org.workforcewatch.indicators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which areas the authority is compared with ({@code workforce.authority.*}): its own area code, its
 * region and its statistical neighbours, all as ONS codes as the benchmarks dataset keys them. Left
 * unset, the neighbours are the Department's current model ({@value #MODEL}) for the area code, from
 * the reference file {@value #NEIGHBOURS_FILE}. A list that is empty or holds something that is not an
 * area code stops start-up.
 *
 * @param areaCode               the authority's own code (default the reference authority, Cambridgeshire)
 * @param regionCode             its region's code (default East of England, E12000006)
 * @param statisticalNeighbours  the neighbours' codes; null (unset) takes the Department's model
 */
@ConfigurationProperties("workforce.authority")
public record BenchmarkAuthority(@DefaultValue(REFERENCE_AUTHORITY) String areaCode, @DefaultValue("E12000006") String regionCode,
                                 List<String> statisticalNeighbours) {

    /** Cambridgeshire: the authority the reference figures and the neighbours file are about. */
    static final String REFERENCE_AUTHORITY = "E10000003";
    static final String MODEL = "dfe_sn_model_2025";
    static final String NEIGHBOURS_FILE = "reference/dfe-csww/cambridgeshire_statistical_neighbours.csv";
    private static final Pattern AREA_CODE = Pattern.compile("[A-Z][0-9]{8}");
    private static final String PREFIX = "workforce.authority.";

    public BenchmarkAuthority {
        List<String> problems = new ArrayList<>();
        areaCode = code(areaCode, "area-code", problems);
        regionCode = code(regionCode, "region-code", problems);
        if (statisticalNeighbours == null && areaCode != null) {
            statisticalNeighbours = publishedNeighbours(areaCode);
            if (statisticalNeighbours.isEmpty()) {
                problems.add(PREFIX + "statistical-neighbours is not set and " + NEIGHBOURS_FILE + " has no " + MODEL
                        + " neighbours for " + areaCode + ": list the neighbours' area codes, comma-separated");
            }
        } else if (statisticalNeighbours == null || statisticalNeighbours.stream().allMatch(c -> c == null || c.isBlank())) {
            problems.add(PREFIX + "statistical-neighbours is empty: list the neighbours' area codes, comma-separated"
                    + " (e.g. E10000025,E10000015), or leave it unset for the Department's model");
            statisticalNeighbours = List.of();
        } else {
            List<String> codes = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String raw : statisticalNeighbours) {
                String c = code(raw, "statistical-neighbours", problems);
                if (c != null && !seen.add(c)) {
                    problems.add(PREFIX + "statistical-neighbours names " + c + " twice");
                } else if (c != null && c.equals(areaCode)) {
                    problems.add(PREFIX + "statistical-neighbours names the authority itself (" + c + ")");
                } else if (c != null) {
                    codes.add(c);
                }
            }
            statisticalNeighbours = List.copyOf(codes);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid authority settings: " + String.join("; ", problems));
        }
    }

    /** A code in canonical form (trimmed, upper case), or null after noting why it is not one. */
    private static String code(String raw, String property, List<String> problems) {
        String c = raw == null ? "" : raw.strip().toUpperCase(Locale.ROOT);
        if (!AREA_CODE.matcher(c).matches()) {
            problems.add(PREFIX + property + ": '" + (raw == null ? "" : raw) + "' is not an ONS area code"
                    + " (a letter and 8 digits, e.g. E10000025)");
            return null;
        }
        return c;
    }

    /** The Department's current neighbours of an area, in rank order, from the reference file. */
    static List<String> publishedNeighbours(String areaCode) {
        // the file lists the reference authority's neighbours only
        if (!areaCode.equals(REFERENCE_AUTHORITY)) {
            return List.of();
        }
        try (InputStream in = BenchmarkAuthority.class.getClassLoader().getResourceAsStream(NEIGHBOURS_FILE)) {
            if (in == null) {
                throw new IllegalStateException(NEIGHBOURS_FILE + " is missing from the classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> header = List.of(lines.readLine().split(","));
            int model = header.indexOf("model");
            int code = header.indexOf("area_code");
            int rank = header.indexOf("rank");
            return lines.lines().map(l -> l.split(",")).filter(f -> f.length > code && f[model].equals(MODEL))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(f[rank])))
                    .map(f -> f[code]).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
