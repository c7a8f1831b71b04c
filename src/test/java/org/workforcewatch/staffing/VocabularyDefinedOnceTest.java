package org.workforcewatch.staffing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The workforce vocabulary has one home: the role set is {@link StaffRole}, and "in post on a day" is
 * {@code open_on} (with {@code open_beyond} and {@code open_during}) in sql/V11__vocabulary.sql. This reads every
 * file under src/main and names the file and line of each place that writes either again.
 */
class VocabularyDefinedOnceTest {

    private static final Path MAIN = Path.of("src", "main");
    private static final Path STAFF_ROLE = MAIN.resolve("java/org/workforcewatch/staffing/StaffRole.java");
    // Sign-in has its own roles (security.Role: admin, head_of_service, hr, team_manager, viewer): the user role
    // team_manager is who may see a team's people, not a staff role, and the security package may write it.
    private static final Path USER_ROLES = MAIN.resolve("java/org/workforcewatch/security");
    private static final String USER_ROLE_SHARED_WITH_STAFF = StaffRole.TEAM_MANAGER.id();

    /** A staff role id between single or double quotes: an SQL or Java literal. */
    private static final Pattern ROLE_LITERAL = Pattern.compile("(['\"])("
            + StaffRole.ids().stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")\\1");
    /**
     * "other" is also a team type, a leaving reason, an absence reason and a case type. It counts as a staff role
     * only on a line that names a role ({@code s.role = 'other'}, {@code slot.role.equals("other")},
     * {@code ROLES = {..., "other"}}); "role" inside a longer name such as {@code invo_professional_role_id} or
     * {@code role_end_date} does not count. Any other role id is never anything but a staff role.
     */
    private static final Pattern NAMES_A_ROLE = Pattern.compile("\\broles?\\b", Pattern.CASE_INSENSITIVE);
    /**
     * The in-post rule written out: {@code x.end_date IS NULL OR x.end_date >= day} (or {@code >}), with any
     * alias, any column ending a period ({@code end_date}, {@code period_end}, {@code role_end_date}), across
     * lines, in any case; and the same with a blank end read as infinity.
     */
    private static final Pattern IN_POST = Pattern.compile(
            "\\b(?:\\w+\\.)?(\\w*end\\w*)\\s+IS\\s+NULL\\s+OR\\s+(?:\\w+\\.)?\\1\\s*>"
                    + "|coalesce\\s*\\(\\s*(?:\\w+\\.)?\\w*end\\w*\\s*,\\s*'infinity'",
            Pattern.CASE_INSENSITIVE);

    record Offence(Path file, int line, String what, String text) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + what + ": " + text;
        }
    }

    @Test
    void noFileUnderSrcMainWritesAStaffRoleOrTheInPostRuleAgain() {
        List<Path> files = filesUnderMain();
        assertThat(files).as("the scan reads src/main").contains(STAFF_ROLE);
        List<Offence> offences = new ArrayList<>();
        for (Path file : files) {
            offences.addAll(offences(file, read(file)));
        }
        assertThat(offences).withFailMessage("Staff roles belong to StaffRole (StaffRole.X.id(), .sql(), sqlList(...)) and"
                        + " \"in post\" to open_on, open_beyond or open_during (sql/V11__vocabulary.sql). Written again at:\n"
                        + offences.stream().map(Offence::toString).collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    void theScanFindsRoleLiteralsAndTheInPostRuleButNotOtherVocabularies() {
        Path file = Path.of("Example.java");
        assertThat(offences(file, """
                WHERE s.role NOT IN ('personal_adviser', 'family_support')
                boolean asye = "asye".equals(role);
                if (slot.role.equals("other")) return;
                JOIN staff_spells s ON s.start_date <= d.as_of AND (s.end_date IS NULL OR s.end_date >= d.as_of)
                WHERE c.period_start <= :start AND (c.period_end IS NULL
                                                    OR c.period_end > :start)
                AND coalesce(w.role_end_date, 'infinity') >= r.reference_date
                """)).extracting(Offence::line).containsExactly(1, 2, 3, 4, 5, 7);
        assertThat(offences(file, """
                static final String[] CASE_TYPES = {"assessment", "cin", "cp", "cla", "care_leaver", "early_help", "other"};
                INSERT INTO teams VALUES (:team, 'Unassigned', 'Unassigned', 'other', 'census', :id)
                /** Involvement codes (SystemC's invo_professional_role_id) → our case types; others are "other". */
                CASE WHEN w.role_end_date IS NULL OR w.reason_leave IS NULL THEN NULL
                WHERE r.referral_date <= :day AND (r.allocated_date IS NULL OR r.allocated_date > :day)
                more.add("asye_programme");
                WHERE open_on(s.start_date, s.end_date, :day) AND is_cfsw(s.role)
                """)).isEmpty();
        assertThat(offences(USER_ROLES.resolve("SecurityConfig.java"), """
                private static final String[] ALL_ROLES = {"admin", "head_of_service", "hr", "team_manager", "viewer"};
                """)).isEmpty();
        assertThat(offences(USER_ROLES.resolve("SecurityConfig.java"), "if (\"social_worker\".equals(role))"))
                .extracting(Offence::what).containsExactly("staff role \"social_worker\"");
    }

    private static List<Path> filesUnderMain() {
        try (Stream<Path> walk = Files.walk(MAIN)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Offence> offences(Path file, String text) {
        List<Offence> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        if (!file.equals(STAFF_ROLE)) {
            for (int i = 0; i < lines.length; i++) {
                List<String> roles = new ArrayList<>();
                Matcher m = ROLE_LITERAL.matcher(lines[i]);
                while (m.find()) {
                    String id = m.group(2);
                    boolean userRole = file.startsWith(USER_ROLES) && id.equals(USER_ROLE_SHARED_WITH_STAFF);
                    boolean otherVocabulary = StaffRole.OTHER.is(id) && !NAMES_A_ROLE.matcher(lines[i]).find();
                    if (!userRole && !otherVocabulary) {
                        roles.add(m.group());
                    }
                }
                if (!roles.isEmpty()) {
                    out.add(new Offence(file, i + 1, "staff role " + String.join(", ", roles), lines[i].strip()));
                }
            }
        }
        Matcher m = IN_POST.matcher(text);
        while (m.find()) {
            int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            out.add(new Offence(file, line, "in post written out", lines[line - 1].strip()));
        }
        out.sort(Comparator.comparingInt(Offence::line));
        return out;
    }
}
