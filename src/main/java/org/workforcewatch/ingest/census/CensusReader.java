package org.workforcewatch.ingest.census;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.ValidatorHandler;
import org.workforcewatch.ingest.ImportError;
import org.workforcewatch.ingest.census.CensusFile.Worker;
import org.workforcewatch.ingest.census.CensusSchema.Particle;
import org.workforcewatch.ingest.csv.ParsedUpload;
import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.Locator2;
import org.xml.sax.helpers.AttributesImpl;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads a census return (CSWW XML) and checks it against the CSWW 2022 schema, finding every problem,
 * each located by line, element, value and worker (1-based CSWWWorker position).
 *
 * <p>A problem in an element Workforce Watch stores or computes with is an error: the file is refused.
 * A problem in an element it neither stores nor uses (personal details, qualification route, where a
 * worker came from or went to, the software that wrote the file) is a warning: the Department's own
 * check may refuse the file, but the figures taken from it are sound. Elements the 2022 schema does
 * not know (later collection years) are warnings and are skipped.
 */
final class CensusReader {

    static final int MAX_PROBLEMS = ParsedUpload.MAX_ERRORS;
    static final String WORKER = "CSWWWorker";
    /**
     * The one local element read beyond the schema: the worker's team or cost centre (name or code) as the
     * authority's HR system gives it. The Department's return has no team; this places a worker in a team through
     * {@code workforce.census.team-mapping}.
     */
    static final String COST_CENTRE = "CostCentre";

    /** The elements Workforce Watch reads: a problem in any of them refuses the file. */
    private static final Set<String> USED = Set.of("Message", "Header", "CollectionDetails", "Collection", "Year",
            "ReferenceDate", "Source", "LEA", "LALevelVacancies", "NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount",
            WORKER, "AgencyWorker", "SWENo", "FTE", "FTE30", "OrgRole", "CFKSSstatus", "RoleStartDate", "RoleEndDate",
            "ReasonLeave", "Cases30", "WorkingDaysLost", "ContractWeeks", "Absat30Sept", "ReasonAbsence");
    private static final Set<String> HEADER_PARENTS = Set.of("CollectionDetails", "Source", "LALevelVacancies");
    private static final Set<String> VALUE_CODES = Set.of("cvc-datatype-valid.1.2.1", "cvc-datatype-valid.1.2.3",
            "cvc-enumeration-valid", "cvc-pattern-valid", "cvc-minInclusive-valid", "cvc-maxInclusive-valid",
            "cvc-fractionDigits-valid", "cvc-totalDigits-valid", "cvc-minLength-valid", "cvc-maxLength-valid",
            "cvc-length-valid", "cvc-type.3.1.3");
    private static final Pattern CODE = Pattern.compile("^(cvc-[\\w.-]+):\\s*");
    private static final BigDecimal DAYS_IN_YEAR = BigDecimal.valueOf(366);

    private final CensusSchema schema;

    CensusReader(CensusSchema schema) {
        this.schema = schema;
    }

    CensusFile read(byte[] bytes) {
        Pass pass = new Pass();
        if (isBlank(bytes)) {
            pass.error(null, null, null, "the file is empty: send the census return's XML", null);
            return pass.result();
        }
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            XMLReader reader = factory.newSAXParser().getXMLReader();
            ValidatorHandler validator = schema.compiled().newValidatorHandler();
            validator.setErrorHandler(pass.schemaErrors);
            pass.validator = validator;
            reader.setContentHandler(pass);
            reader.setErrorHandler(pass);
            reader.parse(new InputSource(new ByteArrayInputStream(bytes)));
        } catch (Stop | SAXParseException e) {
            // already recorded as a problem where it happened
        } catch (SAXException | javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser could not be set up: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pass.result();
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Reading stops: the document is not a census return at all. */
    private static final class Stop extends SAXException {
        Stop() {
            super("not a census return");
        }
    }

    private record Value(String text, long line) {
    }

    private static final class Frame {
        final String name;
        final long line;
        final Particle particle;
        final List<Particle> children;
        final int worker;
        final StringBuilder text = new StringBuilder();
        int position = -1;
        int count;
        boolean valueReported;

        Frame(String name, long line, Particle particle, List<Particle> children, int worker) {
            this.name = name;
            this.line = line;
            this.particle = particle;
            this.children = children;
            this.worker = worker;
        }
    }

    private record Note(long line, String text) {
    }

    private record RawWorker(int index, long line, Map<String, Value> values) {
    }

    /** One reading of one file: a SAX handler in front of the schema validator. */
    private final class Pass extends DefaultHandler {

        ValidatorHandler validator;
        final ErrorHandler schemaErrors = new SchemaErrors();
        private Locator locator;
        private String encoding = "UTF-8";
        private final Deque<Frame> frames = new ArrayDeque<>();
        private int skipDepth;
        private StringBuilder costCentre;
        private long costCentreLine;
        private int workers;
        private Map<String, Value> worker;
        private final Map<String, Value> header = new HashMap<>();
        private final List<RawWorker> read = new ArrayList<>();
        private final List<ImportError> errors = new ArrayList<>();
        private long errorCount;
        private final List<Note> warnings = new ArrayList<>();
        private long warningCount;
        private final Set<String> ignoredAttributes = new HashSet<>();
        private boolean started;
        boolean complete;

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            validator.setDocumentLocator(locator);
        }

        @Override
        public void startDocument() throws SAXException {
            validator.startDocument();
        }

        @Override
        public void endDocument() throws SAXException {
            validator.endDocument();
            complete = true;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            String name = localName.isEmpty() ? qName : localName;
            if (!started) {
                started = true;
                if (locator instanceof Locator2 l2 && l2.getEncoding() != null) {
                    encoding = l2.getEncoding();
                }
            }
            if (skipDepth > 0) {
                skipDepth++;
                return;
            }
            Frame parent = frames.peek();
            Particle particle = null;
            List<Particle> children;
            if (parent == null) {
                if (!CensusSchema.ROOT.equals(name)) {
                    error(line(), name, null, "not a workforce census return: the document is <" + name
                            + ">, a CSWW return is a <Message> with a Header, LALevelVacancies and CSWWWorker records", null);
                    throw new Stop();
                }
                children = schema.sequence(schema.rootType());
            } else if (parent.children == null) {
                problem(parent.name, parent.line, null, "contains the element <" + name + ">: it must hold a value only",
                        parent.worker > 0 ? parent.worker : workerOf(parent));
                skipDepth = 1;
                return;
            } else {
                int p = indexOf(parent.children, name);
                if (p < 0 && COST_CENTRE.equals(name) && parent.worker > 0) {
                    costCentre = new StringBuilder();
                    costCentreLine = line();
                    skipDepth = 1;
                    return;
                }
                if (p < 0) {
                    warn(line(), name, workerOf(parent), "element not in the 2022 census schema (a later collection"
                            + " year?): ignored");
                    skipDepth = 1;
                    return;
                }
                particle = parent.children.get(p);
                order(parent, p, particle);
                children = schema.sequence(particle.type());
            }
            for (int i = 0; i < attributes.getLength(); i++) {
                if (ignoredAttributes.add(attributes.getQName(i))) {
                    warn(line(), name, null, "attribute " + attributes.getQName(i) + " is not part of the census"
                            + " format: ignored");
                }
            }
            int index = 0;
            if (WORKER.equals(name) && parent != null && parent.worker == 0) {
                index = ++workers;
                worker = new LinkedHashMap<>();
            }
            frames.push(new Frame(name, line(), particle, children, index));
            // Namespaces and attributes are not part of the format: the schema sees the bare element.
            validator.startElement("", name, name, new AttributesImpl());
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (skipDepth == 1 && costCentre != null) {
                costCentre.append(ch, start, length);
            }
            if (skipDepth > 0 || frames.isEmpty()) {
                return;
            }
            frames.peek().text.append(ch, start, length);
            validator.characters(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            if (skipDepth == 0 && !frames.isEmpty()) {
                validator.ignorableWhitespace(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if (skipDepth > 0) {
                skipDepth--;
                if (skipDepth == 0 && costCentre != null) {
                    worker.putIfAbsent(COST_CENTRE, new Value(costCentre.toString().strip(), costCentreLine));
                    costCentre = null;
                }
                return;
            }
            Frame f = frames.peek();
            if (f.children != null) {
                missingFrom(f, f.position + 1, line());
            }
            validator.endElement("", f.name, f.name);
            frames.pop();
            Frame parent = frames.peek();
            if (parent != null && f.children == null) {
                Value value = new Value(f.text.toString().strip(), f.line);
                if (parent.worker > 0) {
                    worker.putIfAbsent(f.name, value);
                } else if (HEADER_PARENTS.contains(parent.name)) {
                    header.putIfAbsent(f.name, value);
                }
            }
            if (f.worker > 0) {
                read.add(new RawWorker(f.worker, f.line, worker));
                worker = null;
            }
        }

        /** Sequence order and counts of a complex element's children, as each child starts. */
        private void order(Frame parent, int p, Particle particle) {
            if (p > parent.position) {
                missingFrom(parent, parent.position + 1, p, line());
                parent.position = p;
                parent.count = 1;
            } else if (p == parent.position) {
                parent.count++;
                if (parent.count == particle.max() + 1) {
                    problem(particle.name(), line(), null, "repeated: the schema allows " + particle.name()
                            + (particle.max() == 1 ? " once" : " " + particle.max() + " times") + " in " + parent.name,
                            workerOf(parent));
                }
            } else {
                problem(particle.name(), line(), null, "out of order: " + particle.name() + " must come before "
                        + parent.children.get(parent.position).name() + " in " + parent.name, workerOf(parent));
            }
        }

        private void missingFrom(Frame parent, int from, long line) {
            missingFrom(parent, from, parent.children.size(), line);
        }

        private void missingFrom(Frame parent, int from, int to, long line) {
            for (int i = from; i < to; i++) {
                Particle missing = parent.children.get(i);
                if (missing.min() > 0) {
                    problem(missing.name(), line, null, "missing: every " + parent.name + " must have "
                            + (missing.min() == 1 ? "a " : missing.min() + " ") + missing.name(), workerOf(parent));
                }
            }
        }

        private Integer workerOf(Frame frame) {
            for (Frame f : frames) {
                if (f.worker > 0) {
                    return f.worker;
                }
            }
            return frame != null && frame.worker > 0 ? frame.worker : null;
        }

        private long line() {
            return locator == null ? 0 : locator.getLineNumber();
        }

        /** A schema problem: an error where Workforce Watch uses the element, else a warning. */
        void problem(String element, Long line, String value, String reason, Integer worker) {
            if (USED.contains(element)) {
                error(line, element, value, reason, worker);
            } else {
                warn(line, element, worker, (value == null ? "" : "'" + value + "' ") + reason
                        + " (Workforce Watch does not use " + element + ", so the file is still accepted)");
            }
        }

        void error(Long line, String element, String value, String reason, Integer worker) {
            errorCount++;
            if (errors.size() < MAX_PROBLEMS) {
                errors.add(new ImportError(line, element, value, reason, worker));
            }
        }

        void warn(Long line, String element, Integer worker, String text) {
            warningCount++;
            if (warnings.size() < MAX_PROBLEMS) {
                warnings.add(new Note(line == null ? 0 : line, (worker == null ? "" : "worker " + worker + ", ")
                        + (line == null ? "" : "line " + line + ", ") + (element == null ? "" : element + ": ") + text));
            }
        }

        /** The XML itself is broken (not well formed): reading stops here. */
        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            String message = String.valueOf(e.getMessage());
            String reason = message.contains("DOCTYPE") ? "a document type declaration (DOCTYPE) is not accepted in a census"
                    + " return" : !started ? "not an XML file (a census return is an XML document whose root element is"
                    + " <Message>): " + message : message.contains("same entity") || message.contains("Premature end")
                    ? "the file ends before its XML is complete: was it cut short?"
                    : message.contains("UTF-8") ? "the file is not valid UTF-8 and its XML declaration names no other"
                    + " encoding: save it as UTF-8, or declare the encoding, e.g. <?xml version=\"1.0\" encoding=\"windows-1252\"?>"
                    : "the XML is broken here, so reading stopped: " + message;
            Frame f = frames.peek();
            error((long) e.getLineNumber(), f == null ? null : f.name, null, reason, f == null ? null : workerOf(f));
            throw e;
        }

        @Override
        public void error(SAXParseException e) {
            Frame f = frames.peek();
            error((long) e.getLineNumber(), f == null ? null : f.name, null, e.getMessage(), f == null ? null : workerOf(f));
        }

        @Override
        public void warning(SAXParseException e) {
            // parser warnings say nothing about the census content
        }

        /** Value problems from the schema validator, told against the element being read. */
        private final class SchemaErrors implements ErrorHandler {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) {
                String message = e.getMessage() == null ? "" : e.getMessage();
                Matcher m = CODE.matcher(message);
                String code = m.find() ? m.group(1) : "";
                if (code.startsWith("cvc-complex-type.2.4")) {
                    return; // children's order and counts are checked element by element above
                }
                Frame f = frames.peek();
                String plain = code.isEmpty() ? message : message.substring(m.end());
                if (f == null) {
                    Pass.this.error((long) e.getLineNumber(), null, null, plain, null);
                    return;
                }
                if (f.valueReported) {
                    return; // one problem per element: the first message is the most precise
                }
                f.valueReported = true;
                boolean simple = f.children == null;
                String value = simple ? f.text.toString().strip() : null;
                String reason = simple && VALUE_CODES.contains(code) && f.particle != null && f.particle.valueRule() != null
                        ? (value.isEmpty() ? "empty: " : "") + f.particle.valueRule()
                        : plain;
                problem(f.name, f.line, value, reason, workerOf(f));
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                error(e);
                throw e;
            }
        }

        CensusFile result() {
            if (!complete) {
                return finish(null, null, null, null, null, null, List.of());
            }
            Integer year = null;
            LocalDate referenceDate = null;
            Value yearValue = header.get("Year");
            Value dateValue = header.get("ReferenceDate");
            Integer givenYear = yearValue == null ? null : year(yearValue.text());
            LocalDate givenDate = dateValue == null ? null : date(dateValue.text());
            if (yearValue == null && dateValue == null) {
                error(null, "ReferenceDate", null, "the return gives neither its Year nor its ReferenceDate"
                        + " (Header/CollectionDetails): one is needed to date the snapshot", null);
            } else if (givenYear != null && givenDate != null && givenDate.getYear() != givenYear) {
                error(dateValue.line(), "ReferenceDate", dateValue.text(), "not in the collection Year " + givenYear
                        + ": the reference date of the " + givenYear + " return is 30 September " + givenYear, null);
            } else {
                year = givenYear != null ? givenYear : givenDate == null ? null : givenDate.getYear();
                referenceDate = givenDate != null ? givenDate : year == null ? null : LocalDate.of(year, 9, 30);
            }
            Value lea = header.get("LEA");
            BigDecimal vacancies = nonNegative("NumberOfVacancies");
            BigDecimal agencyFte = nonNegative("NoAgencyFTE");
            BigDecimal agencyHeadcount = nonNegative("NoAgencyHeadcount");
            List<Worker> typed = new ArrayList<>();
            Map<String, Integer> spells = new HashMap<>();
            for (RawWorker raw : read) {
                Worker w = worker(raw, referenceDate, spells);
                if (w != null) {
                    typed.add(w);
                }
            }
            Integer headcount = agencyHeadcount == null ? null : integer(agencyHeadcount);
            if (agencyHeadcount != null && headcount == null) {
                Value h = header.get("NoAgencyHeadcount");
                error(h.line(), "NoAgencyHeadcount", h.text(), "not a plausible headcount", null);
            }
            return finish(year, referenceDate, lea == null ? null : lea.text(), vacancies, agencyFte, headcount, typed);
        }

        private CensusFile finish(Integer year, LocalDate referenceDate, String la, BigDecimal vacancies, BigDecimal agencyFte,
                                  Integer agencyHeadcount, List<Worker> typed) {
            List<ImportError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparing(ImportError::line, Comparator.nullsFirst(Comparator.naturalOrder())));
            List<String> notes = new ArrayList<>(warnings.stream().sorted(Comparator.comparingLong(Note::line))
                    .map(Note::text).toList());
            if (warningCount > warnings.size()) {
                notes.add("… and " + (warningCount - warnings.size()) + " more warnings");
            }
            return new CensusFile(year, referenceDate, la, vacancies, agencyFte, agencyHeadcount,
                    errorCount == 0 ? List.copyOf(typed) : List.of(), workers, List.copyOf(sorted), errorCount,
                    List.copyOf(notes), encoding);
        }

        /** The typed worker, with the checks the schema cannot make. */
        private Worker worker(RawWorker raw, LocalDate referenceDate, Map<String, Integer> spells) {
            Map<String, Value> v = raw.values();
            int i = raw.index();
            String sweNo = text(v.get("SWENo"));
            LocalDate start = date(v.get("RoleStartDate"));
            LocalDate end = date(v.get("RoleEndDate"));
            Integer cases = null;
            Value casesValue = v.get("Cases30");
            if (casesValue != null) {
                BigInteger n = bigInteger(casesValue.text());
                if (n != null && (n.signum() < 0 || n.bitLength() > 31)) {
                    error(casesValue.line(), "Cases30", casesValue.text(), n.signum() < 0 ? "a number of cases cannot be"
                            + " negative" : "not a plausible number of cases", i);
                } else if (n != null) {
                    cases = n.intValue();
                }
            }
            BigDecimal daysLost = decimal(v.get("WorkingDaysLost"));
            if (daysLost != null && (daysLost.signum() < 0 || daysLost.compareTo(DAYS_IN_YEAR) > 0)) {
                error(v.get("WorkingDaysLost").line(), "WorkingDaysLost", v.get("WorkingDaysLost").text(),
                        "working days lost in a year must be between 0 and 366", i);
            }
            BigDecimal contractWeeks = decimal(v.get("ContractWeeks"));
            if (contractWeeks != null && contractWeeks.signum() < 0) {
                error(v.get("ContractWeeks").line(), "ContractWeeks", v.get("ContractWeeks").text(),
                        "weeks worked cannot be negative", i);
            }
            if (start != null && end != null && end.isBefore(start)) {
                error(v.get("RoleEndDate").line(), "RoleEndDate", v.get("RoleEndDate").text(),
                        "before the RoleStartDate " + start, i);
            }
            if (sweNo != null) {
                Integer first = spells.putIfAbsent(sweNo + "|" + start, i);
                if (first != null) {
                    error(v.get("SWENo").line(), "SWENo", sweNo, "the same worker with the same RoleStartDate ("
                            + (start == null ? "none" : start) + ") as worker " + first + ": one record per role", i);
                }
            }
            Integer reasonLeave = code(v.get("ReasonLeave"));
            BigDecimal fte = decimal(v.get("FTE"));
            BigDecimal fte30 = decimal(v.get("FTE30"));
            if (referenceDate != null && start != null && start.isAfter(referenceDate)) {
                warn(v.get("RoleStartDate").line(), "RoleStartDate", i, start + " is after the ReferenceDate "
                        + referenceDate + ": not in post at the reference date");
            }
            if (referenceDate != null && end != null && end.isAfter(referenceDate)) {
                warn(v.get("RoleEndDate").line(), "RoleEndDate", i, end + " is after the ReferenceDate " + referenceDate
                        + ": not a leaver in this collection year");
            }
            if (reasonLeave != null && end == null) {
                warn(v.get("ReasonLeave").line(), "ReasonLeave", i, "given without a RoleEndDate: ignored");
            }
            if (sweNo == null) {
                return null; // refused: SWENo is missing
            }
            if (v.get("RoleStartDate") == null) {
                warn(raw.line(), WORKER, i, "no RoleStartDate: counted in the census figures, but no staff spell is"
                        + " written for " + sweNo);
            } else if (start != null && positive(fte) == null && positive(fte30) == null) {
                warn(raw.line(), WORKER, i, "FTE is 0 and there is no FTE30: counted in the census figures, but no staff"
                        + " spell is written for " + sweNo);
            }
            Value absent = v.get("Absat30Sept");
            return new Worker(i, sweNo, "1".equals(text(v.get("AgencyWorker"))), fte, fte30, code(v.get("OrgRole")),
                    code(v.get("CFKSSstatus")), start, end, reasonLeave, cases, daysLost, contractWeeks,
                    absent == null ? null : "1".equals(absent.text()), text(v.get("ReasonAbsence")),
                    text(v.get(COST_CENTRE)));
        }

        private BigDecimal nonNegative(String element) {
            Value value = header.get(element);
            BigDecimal d = decimal(value);
            if (d != null && d.signum() < 0) {
                error(value.line(), element, value.text(), "cannot be negative", null);
            }
            return d;
        }
    }

    private static int indexOf(List<Particle> particles, String name) {
        for (int i = 0; i < particles.size(); i++) {
            if (particles.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static BigDecimal positive(BigDecimal d) {
        return d != null && d.signum() > 0 ? d : null;
    }

    // The values below have passed the schema (or the file is refused anyway): unreadable means absent.

    private static String text(Value v) {
        return v == null || v.text().isEmpty() ? null : v.text();
    }

    private static Integer code(Value v) {
        BigInteger n = v == null ? null : bigInteger(v.text());
        return n == null || n.bitLength() > 31 ? null : n.intValue();
    }

    private static Integer integer(BigDecimal d) {
        try {
            return d.intValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static BigInteger bigInteger(String s) {
        try {
            return new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BigDecimal decimal(Value v) {
        if (v == null || v.text().isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(v.text());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static LocalDate date(Value v) {
        return v == null ? null : date(v.text());
    }

    /** xs:date may carry a time zone (2022-09-30Z, 2022-09-30+01:00): the day is what counts. */
    private static LocalDate date(String s) {
        try {
            return s.length() >= 10 ? LocalDate.parse(s.substring(0, 10)) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Integer year(String s) {
        Matcher m = Pattern.compile("^(\\d{4})").matcher(s);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
