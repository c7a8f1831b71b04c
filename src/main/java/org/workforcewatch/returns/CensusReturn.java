package org.workforcewatch.returns;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.workforcewatch.returns.CensusReturnStore.Authority;
import org.workforcewatch.returns.CensusReturnStore.Spell;
import org.workforcewatch.returns.ReturnSettings.Lea;
import org.workforcewatch.staffing.StaffRole;

/**
 * The annual census return (CSWW XML, 2022 schema) of one collection year, built from live HR data, and the list of
 * what it cannot say because Workforce Watch does not hold it. Nothing the data does not hold is made up: an optional
 * element is left out, a required one is written empty (QualInst) or with a stand-in that cannot pass for a real value
 * (SWENo), and each is a {@link Gap} HR can act on.
 */
record CensusReturn(int year, LocalDate referenceDate, String lea, OffsetDateTime builtAt, BigDecimal vacancies,
                    BigDecimal agencyFte, long agencyHeadcount, List<Worker> workers, List<Gap> gaps) {

    /**
     * One CSWWWorker: a children and family social worker's spell in the collection year; spells joined by internal
     * moves between teams are one worker, written from the last.
     */
    record Worker(String staffId, String sweNo, boolean agency, BigDecimal fte, int orgRole, LocalDate roleStartDate,
                  Integer startOrigin, LocalDate roleEndDate, Integer reasonLeave, BigDecimal fte30, Long cases30,
                  BigDecimal workingDaysLost, BigDecimal contractWeeks, Boolean absentAt30Sept, String reasonAbsence,
                  Integer cfkssStatus) {
    }

    /**
     * Something the return needs and the data does not hold: the worker (staff id and the SWENo written for them;
     * both null for the authority as a whole), the element, and why.
     */
    record Gap(String staffId, String sweNo, String element, String why) {
    }

    static final String QUAL_INST = "QualInst";

    /** The reference date of a collection year: 30 September. */
    static LocalDate referenceDate(int year) {
        return LocalDate.of(year, 9, 30);
    }

    /** Builds the return from the spells of the year (in staff id order) with an LEA code as configured (or none). */
    static CensusReturn of(int year, String lea, OffsetDateTime builtAt, Authority authority, List<Spell> spells) {
        return of(year, Lea.configured(lea), builtAt, authority, spells);
    }

    /**
     * Builds the return from the spells of the year (in staff id, start date and team order) and the authority's
     * figures. A worker is a person, not a team: a spell ended by an internal move into a following children and family
     * social work spell of the same person (starting that day or the next) is no record of its own, the following
     * spell continues it.
     */
    static CensusReturn of(int year, Lea lea, OffsetDateTime builtAt, Authority authority, List<Spell> spells) {
        LocalDate ref = referenceDate(year);
        LocalDate yearStart = ref.minusYears(1).plusDays(1);
        List<Gap> gaps = new ArrayList<>();
        if (lea.code() == null) {
            gaps.add(new Gap(null, null, "LEA", "the authority's 3-digit LEA code is not configured and could not be found"
                    + " for workforce.authority.area-code in the Department's published file: set workforce.returns.lea;"
                    + " Header/Source is left out"));
        } else if (lea.lookedUp()) {
            gaps.add(new Gap(null, null, "LEA", "LEA " + lea.code() + " taken from workforce.authority.area-code "
                    + lea.areaCode() + " (the Department's published file): set workforce.returns.lea to your own"));
        }
        if (!authority.establishmentHeld()) {
            gaps.add(new Gap(null, null, "NumberOfVacancies", "no establishment (funded posts) is loaded: 0.00 is written,"
                    + " so the vacancy rate reads 0 until the establishment file is loaded"));
        }
        if (!authority.absenceHeld()) {
            gaps.add(new Gap(null, null, "WorkingDaysLost", "no absence file is loaded: WorkingDaysLost, Absat30Sept and"
                    + " ReasonAbsence are left out for every worker"));
        }
        gaps.add(new Gap(null, null, "PersonBirthDate, GenderCurrent, Ethnicity, QualLevel, StepUpGrad, FrontlineGrad",
                "personal details and the qualification route are not held by Workforce Watch: left out for every worker;"
                        + " add them from the HR system before sending"));

        Map<String, String> sweNos = sweNos(spells);
        // what a spell continued by an internal move (by index) carries over from the spells before it
        Map<Integer, Carried> carried = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < spells.size(); i++) {
            Spell s = spells.get(i);
            String swe = sweNos.get(s.staffId());
            if (!written(s)) {
                gaps.add(new Gap(s.staffId(), null, "AgencyWorker", "employment '" + s.employment() + "' on the spell from "
                        + s.start() + ": whether the worker is employed or agency is not known, so the spell is left out of"
                        + " the return; load the HR staff file that says it"));
                continue;
            }
            if (!seen.add(s.staffId() + "|" + s.start())) {
                gaps.add(new Gap(s.staffId(), swe, "RoleStartDate", "a second spell starting " + s.start() + " (team "
                        + s.teamId() + "): the return has one record per worker and start date, so it is left out"));
                continue;
            }
            Carried before = carried.get(i);
            int next = movedInto(spells, i, ref);
            if (next >= 0) {
                Spell n = spells.get(next);
                Spell from = before == null ? s : before.roleStart();
                carried.put(next, new Carried(n.role().equals(s.role()) ? from : n,
                        before == null ? s.start() : before.since(),
                        before == null ? s.daysLost() : sum(before.daysLost(), s.daysLost())));
                continue;
            }
            workers.add(worker(s, before, swe, ref, yearStart, authority.absenceHeld(), gaps));
        }
        return new CensusReturn(year, ref, lea.code(), builtAt, authority.vacancies().setScale(2, RoundingMode.HALF_UP),
                authority.agencyFte().setScale(2, RoundingMode.HALF_UP), authority.agencyHeadcount(), List.copyOf(workers),
                List.copyOf(gaps));
    }

    /**
     * What the spells before an internal move hand on to the spell it continues into: the spell whose start is the
     * worker's RoleStartDate (the first of the same role), when the worker's first spell of the chain started, and the
     * sickness days lost in the spells before.
     */
    private record Carried(Spell roleStart, LocalDate since, BigDecimal daysLost) {
    }

    private static BigDecimal sum(BigDecimal a, BigDecimal b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    /** Whether a spell can be written: its worker is known to be employed or agency. */
    private static boolean written(Spell s) {
        return s.agency() || s.employed();
    }

    /**
     * The index of the spell an internal move continues into: the first later spell of the same person (so the first of
     * that start date), written, of the same kind (agency or employed), starting the day the move ended or the next;
     * -1 when the spell did not end in the year by an internal move or no such spell follows (the worker left children
     * and family social work: a leaver with ReasonLeave 7).
     */
    private static int movedInto(List<Spell> spells, int i, LocalDate ref) {
        Spell s = spells.get(i);
        if (!"internal_move".equals(s.leavingReason()) || s.end() == null || s.end().isAfter(ref)) {
            return -1;
        }
        for (int j = i + 1; j < spells.size() && spells.get(j).staffId().equals(s.staffId()); j++) {
            Spell n = spells.get(j);
            boolean first = !n.start().equals(spells.get(j - 1).start()) || j - 1 == i;
            if (first && written(n) && n.agency() == s.agency()
                    && !n.start().isBefore(s.end()) && !n.start().isAfter(s.end().plusDays(1))) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Each person's SWENo: the registration number held for them (agency register, SSD extract), else their staff id
     * when it is one, else a stand-in derived from the staff id (the same every year).
     */
    private static Map<String, String> sweNos(List<Spell> spells) {
        Map<String, String> held = new TreeMap<>();
        spells.forEach(s -> held.merge(s.staffId(), s.registrationNo() == null ? "" : s.registrationNo(),
                (a, b) -> a.isEmpty() ? b : a));
        Map<String, String> sweNos = new TreeMap<>();
        held.forEach((id, number) -> {
            if (!number.isEmpty()) {
                sweNos.put(id, number);
            } else if (CensusCodes.isSweNo(id)) {
                sweNos.put(id, id);
            }
        });
        List<String> without = held.keySet().stream().filter(id -> !sweNos.containsKey(id)).toList();
        sweNos.putAll(CensusCodes.standIns(without, Set.copyOf(sweNos.values())));
        return sweNos;
    }

    /**
     * The record of a worker's spell {@code s}, with what an internal move into it carried over ({@code before}, null
     * when none did): the RoleStartDate is the start of the first spell of the chain in the same role.
     */
    private static Worker worker(Spell s, Carried before, String swe, LocalDate ref, LocalDate yearStart,
                                 boolean absenceHeld, List<Gap> gaps) {
        Spell from = before == null ? s : before.roleStart();
        boolean continued = before != null;
        BigDecimal daysLost = before == null ? s.daysLost() : sum(before.daysLost(), s.daysLost());
        StaffRole role = StaffRole.byId(s.role()).orElseThrow();
        boolean agency = s.agency();
        if (!swe.equals(s.staffId()) && !swe.equals(s.registrationNo())) {
            gaps.add(new Gap(s.staffId(), swe, "SWENo", "the Social Work England registration number is not held (not in the"
                    + " agency register or an SSD extract, and the staff id is not one): " + swe + " stands in for it; replace it"
                    + " before sending"));
        }
        gaps.add(new Gap(s.staffId(), swe, QUAL_INST, "required by the schema; qualification data is not held: written"
                + " empty"));
        boolean left = s.end() != null && !s.end().isAfter(ref);
        Integer origin = null;
        // a role taken up by an internal move continues the worker: no start into the authority, nothing to say where from
        boolean joined = !continued || from.start().equals(before.since());
        if (joined && !from.start().isBefore(yearStart)) {
            origin = !agency && from.afterAgency() ? Integer.valueOf(CensusCodes.FROM_AGENCY)
                    : StaffRole.byId(from.role()).orElseThrow() == StaffRole.ASYE && from.firstSpell()
                    ? Integer.valueOf(CensusCodes.NEWLY_QUALIFIED) : null;
            if (origin == null) {
                gaps.add(new Gap(s.staffId(), swe, "StartOrigin", "started " + from.start() + "; where the worker came from"
                        + " is not held: left out"));
            }
        }
        Integer reasonLeave = left ? CensusCodes.reasonLeave(s.leavingReason()) : null;
        if (left && !agency && reasonLeave != 7) {
            gaps.add(new Gap(s.staffId(), swe, "LeaverDestination", "left " + s.end() + "; where the worker went is not held:"
                    + " left out"));
        }
        BigDecimal fte = s.inPost() ? s.fte() : BigDecimal.ZERO;
        BigDecimal weeks = null;
        if (agency) {
            LocalDate since = before == null ? s.start() : before.since();
            LocalDate counted = since.isBefore(yearStart) ? yearStart : since;
            LocalDate to = s.end() == null || s.end().isAfter(ref) ? ref : s.end();
            weeks = BigDecimal.valueOf(ChronoUnit.DAYS.between(counted, to) + 1).divide(BigDecimal.valueOf(7), 1, RoundingMode.HALF_UP);
        }
        boolean absenceWritten = absenceHeld && s.inPost();
        return new Worker(s.staffId(), swe, agency, fte, CensusCodes.orgRole(role, s.caseHolding()), from.start(), origin,
                left ? s.end() : null, reasonLeave, left ? s.fte() : null, s.inPost() ? s.cases() : null,
                absenceHeld && !agency && daysLost != null ? daysLost.setScale(2, RoundingMode.HALF_UP) : null,
                weeks, absenceWritten ? s.absentReason() != null : null,
                absenceWritten && s.absentReason() != null ? CensusCodes.reasonAbsence(s.absentReason()) : null,
                CensusCodes.cfkssStatus(role));
    }

    /**
     * Why no worker can be written (a return without a CSWWWorker is not valid against the schema): how many spells were
     * left out and for what. Only meaningful when {@link #workers()} is empty.
     */
    String unwritable() {
        Map<String, Long> left = gapsByElement();
        long unknown = left.getOrDefault("AgencyWorker", 0L);
        long twice = left.getOrDefault("RoleStartDate", 0L);
        return "no worker can be written in the " + year + " census return: " + unknown + " spell" + (unknown == 1 ? "" : "s")
                + " of unknown employment" + (twice == 0 ? "" : " and " + twice + " second spell" + (twice == 1 ? "" : "s")
                + " starting the same day") + " were left out, and the schema needs at least one CSWWWorker;"
                + " load the HR staff file that says who is employed and who is agency";
    }

    /** The number of gaps by element, most first. */
    Map<String, Long> gapsByElement() {
        Map<String, Long> counts = new TreeMap<>();
        gaps.forEach(g -> counts.merge(g.element(), 1L, Long::sum));
        return counts;
    }

    /** The file name HR sends on: csww-&lt;LEA&gt;-&lt;year&gt;.xml. */
    String fileName() {
        return "csww-" + (lea == null ? "lea-unknown" : lea) + "-" + year + ".xml";
    }

    /** When the return was built, as xs:dateTime in UTC to the second. */
    private String utc() {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(builtAt.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
    }

    byte[] xml() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + workers.size() * 600);
        write(out);
        return out.toByteArray();
    }

    /** Writes the return as CSWW XML (UTF-8), element by element in the schema's order. */
    void write(OutputStream out) {
        if (workers.isEmpty()) {
            throw new IllegalStateException(unwritable());
        }
        try {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeComment(" Children's social work workforce census " + year + ", built by Workforce Watch from live HR data"
                    + " on " + utc() + ". " + gaps.size()
                    + " gaps (data not held): GET /api/returns/census/gaps?year=" + year + " lists them. SWENo values"
                    + " beginning ZZ stand in for registration numbers not held. ");
            x.writeCharacters("\n");
            x.writeStartElement("Message");
            x.writeStartElement("Header");
            x.writeStartElement("CollectionDetails");
            value(x, "Collection", "CSWW");
            value(x, "Year", String.valueOf(year));
            value(x, "ReferenceDate", referenceDate.toString());
            x.writeEndElement();
            if (lea != null) {
                x.writeStartElement("Source");
                value(x, "SourceLevel", "L");
                value(x, "LEA", lea);
                value(x, "SoftwareCode", "Workforce Watch");
                value(x, "DateTime", utc());
                x.writeEndElement();
            }
            x.writeEndElement();
            x.writeStartElement("LALevelVacancies");
            value(x, "NumberOfVacancies", vacancies.toPlainString());
            value(x, "NoAgencyFTE", agencyFte.toPlainString());
            value(x, "NoAgencyHeadcount", String.valueOf(agencyHeadcount));
            x.writeEndElement();
            for (Worker w : workers) {
                x.writeStartElement("CSWWWorker");
                value(x, "AgencyWorker", w.agency() ? "1" : "0");
                value(x, "SWENo", w.sweNo());
                value(x, "FTE", w.fte().signum() == 0 ? "0" : w.fte().setScale(6, RoundingMode.HALF_UP).toPlainString());
                x.writeStartElement(QUAL_INST);
                x.writeEndElement();
                value(x, "OrgRole", String.valueOf(w.orgRole()));
                value(x, "RoleStartDate", w.roleStartDate().toString());
                value(x, "StartOrigin", w.startOrigin());
                value(x, "RoleEndDate", w.roleEndDate());
                value(x, "ReasonLeave", w.reasonLeave());
                value(x, "FTE30", w.fte30() == null ? null : w.fte30().setScale(6, RoundingMode.HALF_UP).toPlainString());
                value(x, "Cases30", w.cases30());
                value(x, "WorkingDaysLost", w.workingDaysLost() == null ? null : w.workingDaysLost().toPlainString());
                value(x, "ContractWeeks", w.contractWeeks() == null ? null : w.contractWeeks().toPlainString());
                value(x, "Absat30Sept", w.absentAt30Sept() == null ? null : w.absentAt30Sept() ? "1" : "0");
                value(x, "ReasonAbsence", w.reasonAbsence());
                value(x, "CFKSSstatus", w.cfkssStatus());
                x.writeEndElement();
            }
            x.writeEndElement();
            x.writeEndDocument();
            x.flush();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the census return could not be written: " + e.getMessage(), e);
        }
    }

    /** An element with a value; none at all when the value is not held. */
    private static void value(XMLStreamWriter x, String element, Object value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        x.writeStartElement(element);
        x.writeCharacters(value.toString());
        x.writeEndElement();
    }
}
