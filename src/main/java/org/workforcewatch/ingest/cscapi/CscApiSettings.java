package org.workforcewatch.ingest.cscapi;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where and from whom children's social care API records are taken ({@code workforce.csc-api}); validated at
 * start-up, a bad value stops it naming the key.
 *
 * @param basePath    the pipeline's base address on this service: records arrive at
 *                    {@code {base-path}/children_social_care_data/{la_code}/children}. Default {@code /api/csc}.
 * @param laCode      the authority's code the pipeline puts in the address (its {@code la_code}, e.g. {@code 873}); a
 *                    request for any other code is refused (404). Empty: the authority's area code
 *                    ({@code workforce.authority.area-code}).
 * @param ingestToken a shared secret the pipeline may send as its bearer token instead of an identity provider's
 *                    token, compared in constant time; empty (the default) accepts none. At least 32 characters.
 * @param intakeTeam  the team a referral is counted against when none of the episode's workers has an HR staff spell
 *                    on the referral date; empty: such a referral is left out (counted in the receipt's warnings)
 * @param maxRecords  child records in one request or file: 100,000 (a large council's whole night is about 30,000)
 * @param maxSize     the body of one request or file: 512 MiB (30,000 full records are about 40 MB)
 */
@ConfigurationProperties("workforce.csc-api")
public record CscApiSettings(@DefaultValue("/api/csc") String basePath, @DefaultValue("E10000003") String laCode,
                             @DefaultValue("") String ingestToken, @DefaultValue("") String intakeTeam,
                             @DefaultValue("100000") int maxRecords, @DefaultValue("512MB") DataSize maxSize) {

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    /** Where the rest of the service answers: the records' address may not be under (or above) any of them. */
    static final List<String> SERVED = List.of("/api", "/actuator", "/login", "/logout", "/teams", "/services", "/pages");

    /**
     * The records' own address: /api/csc or under it, or a path of two segments or more (the service's pages and files
     * are one segment deep) that is not under the service's own addresses.
     */
    private static boolean ownPath(String path) {
        if (path.equals("/api/csc") || path.startsWith("/api/csc/")) {
            return true;
        }
        return path.indexOf('/', 1) > 0 && SERVED.stream().noneMatch(served -> path.equals(served) || path.startsWith(served + "/"));
    }

    /** Shorter than this, a shared secret can be guessed. */
    static final int MIN_TOKEN_LENGTH = 32;

    public CscApiSettings {
        List<String> problems = new ArrayList<>();
        basePath = basePath == null ? "" : basePath.strip();
        if (!PATH.matcher(basePath).matches()) {
            problems.add("workforce.csc-api.base-path must be a path such as /api/csc (segments of letters, digits, '.',"
                    + " '_' or '-', no trailing slash), got '" + basePath + "'");
        } else if (!ownPath(basePath)) {
            problems.add("workforce.csc-api.base-path may not be " + basePath + ": another part of the service answers there"
                    + " (everything under it would then answer only the pipeline); use /api/csc, a path under it, or one of two"
                    + " segments or more outside " + String.join(", ", SERVED));
        }
        laCode = laCode == null ? "" : laCode.strip();
        if (!laCode.matches("[A-Za-z0-9]{1,16}")) {
            problems.add("workforce.csc-api.la-code must be letters and digits (e.g. 873 or E10000003), got '" + laCode + "'");
        }
        ingestToken = ingestToken == null ? "" : ingestToken.strip();
        if (!ingestToken.isEmpty() && ingestToken.length() < MIN_TOKEN_LENGTH) {
            problems.add("workforce.csc-api.ingest-token must be at least " + MIN_TOKEN_LENGTH + " characters (e.g. openssl"
                    + " rand -hex 32), or empty to accept only the identity provider's tokens");
        }
        intakeTeam = intakeTeam == null ? "" : intakeTeam.strip();
        if (maxRecords <= 0) {
            problems.add("workforce.csc-api.max-records must be above 0, got " + maxRecords);
        }
        if (maxSize == null || maxSize.toBytes() <= 0) {
            problems.add("workforce.csc-api.max-size must be above 0");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The pattern of the pipeline's address on this service. */
    public String childrenPath() {
        return basePath + "/children_social_care_data/{laCode}/children";
    }
}
