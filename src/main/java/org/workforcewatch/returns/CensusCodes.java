package org.workforcewatch.returns;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.workforcewatch.staffing.StaffRole;

/**
 * Our words to the Department's codes in the census return (CSWW 2022 schema), each in one place: docs/DATA-FORMATS.md
 * ("Census return (CSWW XML)") shows the same tables. A code the schema has but our data cannot tell apart (senior from
 * middle manager, a leaver's destination) is never guessed.
 */
final class CensusCodes {

    private CensusCodes() {
    }

    /**
     * OrgRole from a children and family social worker's role and whether the spell holds cases. The schema's codes
     * (roletype: 1 senior manager, 2 middle manager, 3 first line manager, 4 senior practitioner, 5 case holder,
     * 6 qualified without cases) are roles, the first that fits: a senior or advanced practitioner is 4 whatever their
     * caseload, as a team manager is 3; a case holder (5) is a social worker or ASYE holding cases, and one without
     * cases is 6. Cases30 still says how many cases each holds. A service manager is reported as a middle manager (2):
     * the staff file does not tell a senior manager (1) from a middle one. Roles outside the census (personal advisers,
     * family support, other) have no OrgRole.
     */
    static Integer orgRole(StaffRole role, boolean caseHolding) {
        return switch (role) {
            case SERVICE_MANAGER -> 2;
            case TEAM_MANAGER -> 3;
            case SENIOR_PRACTITIONER, ADVANCED_PRACTITIONER -> 4;
            case SOCIAL_WORKER, ASYE -> caseHolding ? 5 : 6;
            case PERSONAL_ADVISER, FAMILY_SUPPORT, OTHER -> null;
        };
    }

    /** CFKSSstatus where the role says it: 1 (ASYE) for a newly qualified worker; unknown otherwise. */
    static Integer cfkssStatus(StaffRole role) {
        return role == StaffRole.ASYE ? 1 : null;
    }

    /**
     * ReasonLeave from the staff file's leaving_reason: resigned 1, dismissed 4, retired 5, internal_move 7 (moved within
     * the authority, not a leaver), end_of_contract and other 8 (Other: the schema has no end of contract), and a spell
     * ended without a reason 9 (Not known).
     */
    static int reasonLeave(String leavingReason) {
        if (leavingReason == null) {
            return 9;
        }
        return switch (leavingReason) {
            case "resigned" -> 1;
            case "dismissed" -> 4;
            case "retired" -> 5;
            case "internal_move" -> 7;
            case "end_of_contract", "other" -> 8;
            default -> 9;
        };
    }

    /** ReasonAbsence from the absence file's reason: sickness SIC, anything else OTH (other paid authorised absence). */
    static String reasonAbsence(String reason) {
        return "sickness".equals(reason) ? "SIC" : "OTH";
    }

    /** StartOrigin 4 (agency or consultancy in social work): an employed spell that follows one of our agency spells. */
    static final int FROM_AGENCY = 4;
    /** StartOrigin 1 (newly qualified social worker): a first spell with us in the ASYE role. */
    static final int NEWLY_QUALIFIED = 1;

    /** A Social Work England registration number, as the schema's swetype gives it: two letters and ten digits. */
    static boolean isSweNo(String staffId) {
        return staffId != null && staffId.matches("[A-Za-z]{2}\\d{10}");
    }

    /**
     * The stand-in for a worker whose registration number is not held: ZZ and ten digits taken from a hash of the staff
     * id, so one worker has the same stand-in every year. ZZ is no registration prefix (Social Work England numbers
     * begin SW), so it cannot be taken for a real number; every stand-in is listed as a gap with the staff id it stands
     * for. Two staff ids whose hashes meet are told apart by {@link #standIns}.
     */
    static String standIn(String staffId) {
        return "ZZ%010d".formatted(standInNumber(staffId));
    }

    private static final long TEN_DIGITS = 10_000_000_000L;

    private static long standInNumber(String staffId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(staffId.getBytes(StandardCharsets.UTF_8));
            return Long.remainderUnsigned(ByteBuffer.wrap(hash).getLong(), TEN_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the Java runtime", e);
        }
    }

    /**
     * Stand-ins for the given staff ids, none equal to another or to a number already taken: each its {@link #standIn},
     * and where two meet, the staff id later in sort order takes the next free number (wrapping round), so the same
     * staff ids always get the same stand-ins.
     */
    static Map<String, String> standIns(Collection<String> staffIds, Set<String> taken) {
        Set<String> used = new HashSet<>(taken);
        Map<String, String> standIns = new TreeMap<>();
        for (String id : new TreeSet<>(staffIds)) {
            long n = standInNumber(id);
            String standIn = "ZZ%010d".formatted(n);
            while (!used.add(standIn)) {
                n = (n + 1) % TEN_DIGITS;
                standIn = "ZZ%010d".formatted(n);
            }
            standIns.put(id, standIn);
        }
        return standIns;
    }
}
