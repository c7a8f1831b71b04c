package org.workforcewatch.reports;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfName;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPCellEvent;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.workforcewatch.indicators.Indicator;
import org.workforcewatch.indicators.IndicatorValue;
import org.workforcewatch.indicators.TeamRisks;
import org.workforcewatch.reports.WorkforceProfile.Profile;
import org.workforcewatch.spc.Spc;
import org.workforcewatch.spc.SpcSettings;
import org.workforcewatch.spc.Xmr;

/**
 * The monthly workforce profile as a PDF for the improvement board: A4 landscape, an embedded sans serif, page numbers.
 * Severities and verdicts are always words as well as colours. Charts are drawn as vector graphics. The PDF is
 * tagged ({@link TaggedPdf}): headings, paragraphs, tables and charts (with their values in words) in reading order.
 * Blocking CPU work: call it on a worker thread, never the event loop.
 */
final class ProfilePdf {

    /** A chart for the pack, or why it could not be drawn. */
    record Figure(String caption, JFreeChart chart, String missing) {
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.UK);
    private static final DateTimeFormatter LONG_DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter SHORT_MONTH = DateTimeFormatter.ofPattern("MMM yyyy", Locale.UK);
    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("MMM yy", Locale.UK);
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm", Locale.UK);

    // RAG fills with text colours that keep a contrast of at least 4.5:1.
    private static final Color RED = new Color(0xB7, 0x1C, 0x1C);
    private static final Color AMBER = new Color(0xFF, 0xB0, 0x00);
    private static final Color GREEN = new Color(0x2E, 0x7D, 0x32);
    private static final Color GREEN_TINT = new Color(0xE3, 0xF1, 0xE4);
    // Making Data Count's icon colours: orange for concern, blue for improvement, grey for neither.
    private static final Color CONCERN = new Color(0xC2, 0x4E, 0x00);
    private static final Color IMPROVEMENT = new Color(0x00, 0x5E, 0xB8);
    private static final Color NEUTRAL = new Color(0x6B, 0x6B, 0x6B);
    private static final Color HEADER = new Color(0xE8, 0xEC, 0xF0);
    private static final Color INK = new Color(0x1A, 0x1A, 0x1A);
    private static final Color MUTED = new Color(0x55, 0x55, 0x55);

    private static final Font TITLE = new Font(PackFonts.BOLD, 20, Font.NORMAL, INK);
    private static final Font SUBTITLE = new Font(PackFonts.REGULAR, 12, Font.NORMAL, INK);
    private static final Font H2 = new Font(PackFonts.BOLD, 13, Font.NORMAL, INK);
    private static final Font H3 = new Font(PackFonts.BOLD, 10, Font.NORMAL, INK);
    private static final Font BODY = new Font(PackFonts.REGULAR, 8, Font.NORMAL, INK);
    private static final Font BOLD = new Font(PackFonts.BOLD, 8, Font.NORMAL, INK);
    private static final Font NOTE = new Font(PackFonts.REGULAR, 7, Font.NORMAL, MUTED);
    private static final Font WHITE = new Font(PackFonts.BOLD, 8, Font.NORMAL, Color.WHITE);
    private static final Font DARK = new Font(PackFonts.BOLD, 8, Font.NORMAL, INK);
    private static final Font SMALL = new Font(PackFonts.REGULAR, 5.5f, Font.NORMAL, INK);
    private static final Font SMALL_BOLD = new Font(PackFonts.BOLD, 5.5f, Font.NORMAL, INK);
    private static final Font SMALL_WHITE = new Font(PackFonts.BOLD, 5.5f, Font.NORMAL, Color.WHITE);
    private static final Font SMALL_DARK = new Font(PackFonts.BOLD, 5.5f, Font.NORMAL, INK);

    /** Team columns per team table before it continues in a second table. */
    private static final int TEAMS_PER_TABLE = 7;
    static final float CHART_WIDTH = 900;
    static final float CHART_HEIGHT = 320;

    private ProfilePdf() {
    }

    static byte[] render(Profile p, List<Figure> figures, ZoneId zone) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
        Document document = new Document(PageSize.A4.rotate(), 36, 36, 32, 40);
        PdfWriter writer = PdfWriter.getInstance(document, out);
        String month = MONTH.format(p.month());
        writer.setPageEvent(new Footer("Workforce profile, " + month + " — " + p.authorityName()));
        document.addSubject("Monthly workforce profile for the improvement board, " + p.authorityName());
        document.addCreator("Workforce Watch");
        TaggedPdf pdf = TaggedPdf.open(document, writer, "Children's social care workforce profile, " + month, "en-GB");
        try {
            titleBlock(pdf, p, zone);
            summary(pdf, p);
            pdf.newPage();
            risks(pdf, p);
            pdf.newPage();
            teams(pdf, p);
            pdf.newPage();
            charts(pdf, writer, figures, p.asOf());
        } finally {
            document.close();
        }
        return out.toByteArray();
    }

    private static void titleBlock(TaggedPdf d, Profile p, ZoneId zone) {
        d.paragraph(new Paragraph("Children's social care workforce profile", TITLE), PdfName.H1);
        Paragraph sub = new Paragraph(p.authorityName() + " — " + MONTH.format(p.month()), SUBTITLE);
        sub.setSpacingBefore(2);
        d.paragraph(sub, PdfName.P);
        String benchmarks = p.syntheticNotice() == null ? p.authorityName()
                : "compared with " + p.comparedWith() + "'s published figures,";
        d.paragraph(new Paragraph("Figures as at " + LONG_DAY.format(p.asOf()) + ". Generated "
                + GENERATED.format(p.generated().atZone(zone)) + ". Benchmarks: " + benchmarks + " beside England and "
                + p.regionName() + ".", NOTE), PdfName.P);
        if (p.syntheticNotice() != null) {
            d.paragraph(new Paragraph(p.syntheticNotice(), BOLD), PdfName.P);
        }
    }

    // ------------------------------------------------------------------ summary

    private static void summary(TaggedPdf d, Profile p) {
        heading(d, "Summary: every indicator at the authority");
        TreeSet<Integer> years = new TreeSet<>();
        p.summary().forEach(r -> {
            if (r.benchmarkYear() != null) {
                years.add(r.benchmarkYear());
            }
        });
        String published = years.isEmpty() ? "" : " " + String.join("/", years.stream().map(String::valueOf).toList());
        PdfPTable t = table(new float[] {200, 40, 38, 76, 80, 42, 42, 34, 40, 40, 54, 78});
        header(t, "Indicator", "Value", "RAG", "Variation", "Assurance", "Last month\n" + SHORT_MONTH.format(p.lastMonth()),
                "A year ago\n" + SHORT_MONTH.format(p.yearAgo()), "Target", "England" + published, "Region" + published,
                "Neighbours" + published, "Lead officer");
        for (WorkforceProfile.SummaryRow r : p.summary()) {
            IndicatorValue v = r.value();
            Indicator i = r.indicator();
            t.addCell(cell(Names.indicator(i), BODY));
            t.addCell(number(Names.value(i, v.value()), BOLD));
            t.addCell(rag(v.severity()));
            t.addCell(variation(i, r.variation()));
            t.addCell(assurance(r));
            t.addCell(number(Names.value(i, r.lastMonth()), BODY));
            t.addCell(number(Names.value(i, r.yearAgo()), BODY));
            t.addCell(number(Names.value(i, v.target()), BODY));
            t.addCell(number(Names.value(i, r.england()), BODY));
            t.addCell(number(Names.value(i, r.region()), BODY));
            t.addCell(number(Names.value(i, r.statisticalNeighbours()), BODY));
            t.addCell(cell(v.leadOfficer(), BODY));
        }
        d.table(t);
        note(d, "RAG: the value against the amber and red thresholds in force at the end of " + DAY.format(p.asOf())
                + " (Green below amber). Variation and assurance: "
                + "statistical process control (an XmR chart) over the " + Spc.MONTHS + " complete months up to " + DAY.format(p.asOf())
                + " (at least " + p.spcSettings().minPoints() + " needed in the current baseline). England, region and neighbours"
                + " (the median of the statistical neighbours' published figures): the latest year the Department for Education"
                + " had published by the end of that day, for the measures it publishes.");
        spcKey(d, p.spcSettings());
    }

    /** The key to the SPC symbols of the summary: each icon as the table draws it, and what it means. */
    private static void spcKey(TaggedPdf d, SpcSettings settings) {
        Paragraph title = new Paragraph("Key to the variation and assurance symbols", H3);
        title.setSpacingBefore(8);
        d.paragraph(title, PdfName.H3);
        PdfPTable key = table(new float[] {150, 330, 150, 330});
        key.setHeaderRows(0);
        key.setSpacingBefore(6);
        key.setKeepTogether(true);
        key.addCell(icon(CONCERN, "H", "Special cause: concerning, high"));
        key.addCell(cell("A real rise, in a measure where higher is worse (every indicator here): outside the limits, a trend of "
                + Xmr.TREND_LENGTH + ", two of three beyond two sigma or a shift of " + Xmr.SHIFT_LENGTH + " above the mean.", NOTE));
        key.addCell(icon(IMPROVEMENT, "P", "Consistently passes the target"));
        key.addCell(cell("The target lies beyond the process limit on the good side: every ordinary month meets it.", NOTE));
        key.addCell(icon(IMPROVEMENT, "L", "Special cause: improving, low"));
        key.addCell(cell("A real fall, by the same rules below the mean (for a measure where higher is better, H would be "
                + "improving and L concerning).", NOTE));
        key.addCell(icon(CONCERN, "F", "Consistently fails the target"));
        key.addCell(cell("The target lies beyond the process limit on the bad side: no ordinary month will meet it without a "
                + "change to the process.", NOTE));
        key.addCell(icon(NEUTRAL, "~", "Common cause"));
        key.addCell(cell("The latest month is ordinary month-to-month variation: no rule applies to it.", NOTE));
        key.addCell(icon(NEUTRAL, "?", "Hit and miss"));
        key.addCell(cell("The target lies between the process limits: some ordinary months meet it, some do not.", NOTE));
        key.addCell(cell("Not enough data", NOTE));
        key.addCell(cell("Fewer than " + settings.minPoints() + " months in the current baseline: no verdict yet.", NOTE));
        key.addCell(icon(CONCERN, "R", "Process changed: rebase suggested"));
        key.addCell(cell("The latest month is special cause, so the old limits no longer describe the process and give no "
                + "assurance. The date is the first month of the change: record a rebase there once the change is understood.", NOTE));
        d.table(key);
    }

    private static PdfPCell variation(Indicator i, Xmr.Variation v) {
        boolean high = (v == Xmr.Variation.CONCERNING) == (i.polarity() == Indicator.Polarity.HIGHER_IS_WORSE);
        return switch (v) {
            case CONCERNING -> icon(CONCERN, high ? "H" : "L", Names.variation(v));
            case IMPROVING -> icon(IMPROVEMENT, high ? "H" : "L", Names.variation(v));
            case COMMON_CAUSE -> icon(NEUTRAL, "~", Names.variation(v));
            case NOT_ENOUGH_DATA -> cell(Names.variation(v), NOTE);
        };
    }

    private static PdfPCell assurance(WorkforceProfile.SummaryRow r) {
        Xmr.Assurance a = r.assurance();
        String words = Names.assurance(a, r.processChangedSince());
        return switch (a) {
            case CONSISTENTLY_PASSES -> icon(IMPROVEMENT, "P", words);
            case CONSISTENTLY_FAILS -> icon(CONCERN, "F", words);
            case HIT_AND_MISS -> icon(NEUTRAL, "?", words);
            case PROCESS_CHANGED -> icon(CONCERN, "R", words);
            case NO_TARGET, NOT_ENOUGH_DATA -> cell(words, NOTE);
        };
    }

    /** A cell with a round icon holding one letter, then the words. */
    private static PdfPCell icon(Color colour, String letter, String words) {
        PdfPCell c = cell(words, BODY);
        c.setPaddingLeft(17);
        c.setCellEvent(new Icon(colour, letter));
        return c;
    }

    private record Icon(Color colour, String letter) implements PdfPCellEvent {
        private static final BaseFont FONT = PackFonts.BOLD;

        @Override
        public void cellLayout(PdfPCell cell, Rectangle position, PdfContentByte[] canvases) {
            PdfContentByte cb = canvases[PdfPTable.TEXTCANVAS];
            float r = 5.5f;
            float x = position.getLeft() + 4 + r;
            float y = position.getTop() - 3 - r;
            cb.saveState();
            cb.setColorFill(colour);
            cb.circle(x, y, r);
            cb.fill();
            cb.beginText();
            cb.setColorFill(Color.WHITE);
            cb.setFontAndSize(FONT, 7);
            cb.showTextAligned(Element.ALIGN_CENTER, letter, x, y - 2.5f, 0);
            cb.endText();
            cb.restoreState();
        }
    }

    // ------------------------------------------------------------------ risks

    /**
     * One page: the teams at risk, worst first, as GET /api/risks?group=team orders them, each with its red and amber
     * indicators in a teams × indicators table; then the service and authority risks that add to them. Every risk
     * row is in the CSV (table=risks).
     */
    private static void risks(TaggedPdf d, Profile p) {
        heading(d, "Teams at risk at " + LONG_DAY.format(p.asOf()));
        if (p.risks().isEmpty()) {
            d.paragraph(new Paragraph("No indicator was at amber or red anywhere on " + LONG_DAY.format(p.asOf()) + ".", BODY), PdfName.P);
            return;
        }
        TeamRisks grouped = WorkforceProfile.teamsAtRisk(p);
        long teams = p.services().stream().mapToLong(s -> s.teams().size()).sum();
        long withRed = grouped.teams().stream().filter(t -> t.red() > 0).count();
        long red = p.risks().stream().filter(r -> "red".equals(r.value().severity())).count();
        Paragraph intro = new Paragraph(grouped.teams().size() + " of " + teams + " teams have an indicator at amber or red, " + withRed
                + " of them red. Worst first: teams with a red, then more reds, more ambers, and the furthest past a threshold. "
                + (p.risks().size() == 1 ? "The one risk (" : "All " + p.risks().size() + " risks (") + red + " red, " + (p.risks().size() - red) + " amber; teams, services and "
                + "the authority) are in the risks CSV.", BODY);
        intro.setSpacingAfter(6);
        d.paragraph(intro, PdfName.P);
        List<Indicator> columns = new ArrayList<>();
        for (Indicator i : Indicator.values()) {
            if (grouped.teams().stream().anyMatch(t -> t.risks().stream().anyMatch(e -> e.indicator().equals(i.id())))) {
                columns.add(i);
            }
        }
        if (!grouped.teams().isEmpty()) {
            float[] widths = new float[columns.size() + 4];
            widths[0] = 78;
            widths[1] = 48;
            widths[2] = 16;
            widths[3] = 24;
            for (int k = 4; k < widths.length; k++) {
                widths[k] = (770 - 166f) / columns.size();
            }
            PdfPTable t = table(widths);
            List<String> head = new ArrayList<>(List.of("Team", "Service", "Red", "Amber"));
            columns.forEach(i -> head.add(Names.indicator(i)));
            for (String title : head) {
                PdfPCell c = compact(cell(title, SMALL_BOLD));
                c.setBackgroundColor(HEADER);
                t.addCell(c);
            }
            for (TeamRisks.Team team : grouped.teams()) {
                t.addCell(compact(cell(team.team() + " " + (team.teamName() == null ? "" : team.teamName()), SMALL_BOLD)));
                t.addCell(compact(cell(team.service(), SMALL)));
                t.addCell(compact(number(String.valueOf(team.red()), SMALL)));
                t.addCell(compact(number(String.valueOf(team.amber()), SMALL)));
                for (Indicator i : columns) {
                    t.addCell(team.risks().stream().filter(e -> e.indicator().equals(i.id())).findFirst()
                            .map(e -> riskCell(i, e)).orElseGet(() -> compact(cell("", SMALL))));
                }
            }
            d.table(t);
        }
        note(d, "Each cell: the value and its severity; how far past the threshold it reached (amber or red, the team's own "
                + "where it has one) as a share of that threshold; and since when: the first month end of the unbroken run at amber or red that leads "
                + "up to " + DAY.format(p.asOf()) + ". A blank cell is below "
                + "amber or not measured.");
        if (!grouped.wider().isEmpty()) {
            List<String> wider = new ArrayList<>();
            for (org.workforcewatch.indicators.Risk r : grouped.wider()) {
                Indicator i = Indicator.byId(r.indicator()).orElseThrow();
                wider.add((r.level().equals("authority") ? "Authority" : r.scope()) + ": " + Names.indicator(i) + " "
                        + Names.value(i, r.value()) + " " + Names.severity(r.severity()) + " (threshold " + Names.value(i, r.threshold())
                        + ", since " + SHORT_MONTH.format(r.since()) + ")");
            }
            Paragraph w = new Paragraph("Service and authority risks that no team at risk shows as badly: " + String.join("; ", wider)
                    + ".", BODY);
            w.setSpacingBefore(6);
            d.paragraph(w, PdfName.P);
        }
    }

    /** A team's risk: value and severity, then threshold, how far past it, since when; filled with its colour. */
    private static PdfPCell riskCell(Indicator i, TeamRisks.Entry e) {
        boolean red = e.severity().equals("red");
        String text = Names.value(i, e.value()) + " " + Names.severity(e.severity()) + "\n"
                + String.format(Locale.UK, "+%.0f%% ", e.past() * 100) + SINCE.format(e.since());
        return compact(filled(text, red ? SMALL_WHITE : SMALL_DARK, red ? RED : AMBER, Element.ALIGN_RIGHT));
    }

    /** Tight lines and padding, so every team at risk fits on one page. */
    private static PdfPCell compact(PdfPCell c) {
        c.setLeading(6.2f, 0);
        c.setPadding(1.5f);
        c.setPaddingBottom(2);
        return c;
    }

    // ------------------------------------------------------------------ teams

    private static void teams(TaggedPdf d, Profile p) {
        heading(d, "Teams by service");
        note(d, "Each team's indicators on " + DAY.format(p.asOf()) + " against its own thresholds. Amber and Red are written out; "
                + "a tinted value without a word is Green; – is no value (nothing to divide by).");
        for (WorkforceProfile.ServiceTeams s : p.services()) {
            List<WorkforceProfile.TeamRow> all = s.teams();
            for (int from = 0; from < all.size(); from += TEAMS_PER_TABLE) {
                List<WorkforceProfile.TeamRow> teams = all.subList(from, Math.min(all.size(), from + TEAMS_PER_TABLE));
                float[] widths = new float[teams.size() + 2];
                widths[0] = 190;
                for (int k = 1; k < widths.length; k++) {
                    widths[k] = 80;
                }
                PdfPTable t = table(widths);
                t.setWidthPercentage(Math.min(100, (190 + 80f * (teams.size() + 1)) / 770 * 100));
                t.setHorizontalAlignment(Element.ALIGN_LEFT);
                // the service's name is the table's first header row: it cannot be parted from its table, nor
                // drawn over by it, and it is repeated where the table goes on over a page
                PdfPCell title = new PdfPCell(new Phrase(s.service() + (from == 0 ? "" : " (continued)"), H3));
                title.setColspan(widths.length);
                title.setBorder(Rectangle.NO_BORDER);
                title.setPadding(0);
                title.setPaddingBottom(5);
                t.addCell(title);
                List<String> head = new ArrayList<>(List.of("Indicator", "Service"));
                teams.forEach(team -> head.add(team.team().teamId() + "\n" + team.team().teamName()));
                header(t, head.toArray(String[]::new));
                t.setHeaderRows(2);
                t.setKeepTogether(true);
                t.setSpacingBefore(12);
                for (Indicator i : Indicator.values()) {
                    boolean any = teams.stream().anyMatch(team -> team.values().get(i) != null && team.values().get(i).value() != null);
                    if (!any) {
                        continue;
                    }
                    t.addCell(cell(Names.indicator(i), BODY));
                    t.addCell(teamValue(i, s.values().get(i)));
                    teams.forEach(team -> t.addCell(teamValue(i, team.values().get(i))));
                }
                d.captionedTable(t);
            }
        }
    }

    private static PdfPCell teamValue(Indicator i, IndicatorValue v) {
        if (v == null || v.value() == null) {
            return number("–", BODY);
        }
        String text = Names.value(i, v.value());
        return switch (v.severity()) {
            case "red" -> filled(text + " Red", WHITE, RED, Element.ALIGN_RIGHT);
            case "amber" -> filled(text + " Amber", DARK, AMBER, Element.ALIGN_RIGHT);
            default -> filled(text, BODY, GREEN_TINT, Element.ALIGN_RIGHT);
        };
    }

    // ------------------------------------------------------------------ charts

    private static void charts(TaggedPdf d, PdfWriter writer, List<Figure> figures, LocalDate asOf) {
        heading(d, "Key charts");
        note(d, "Every chart as at " + DAY.format(asOf) + ", with the thresholds in force then: trend charts run over the history"
                + " held up to that day; the SPC chart over the " + Spc.MONTHS + " complete months up to it.");
        for (Figure f : figures) {
            PdfPTable t = table(new float[] {1});
            t.setKeepTogether(true);
            PdfPCell caption = cell(f.caption(), H3);
            caption.setBorder(Rectangle.NO_BORDER);
            caption.setPaddingTop(8);
            t.addCell(caption);
            PdfPCell body;
            String alt = null;
            if (f.chart() == null) {
                body = cell("Not available: " + f.missing(), BODY);
            } else {
                PdfTemplate template = writer.getDirectContent().createTemplate(CHART_WIDTH, CHART_HEIGHT);
                Graphics2D g = template.createGraphics(CHART_WIDTH, CHART_HEIGHT, PackFonts.CHARTS);
                try {
                    // A chart may be shared (cached); JFreeChart's drawing is not thread-safe.
                    synchronized (f.chart()) {
                        f.chart().draw(g, new Rectangle2D.Double(0, 0, CHART_WIDTH, CHART_HEIGHT));
                        alt = ChartText.describe(f.chart());
                    }
                } finally {
                    g.dispose();
                }
                body = new PdfPCell(image(template), true);
            }
            body.setBorder(Rectangle.NO_BORDER);
            t.addCell(body);
            d.figure(t, alt);
        }
    }

    private static Image image(PdfTemplate template) {
        try {
            return Image.getInstance(template);
        } catch (com.lowagie.text.BadElementException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ building blocks

    private static void heading(TaggedPdf d, String text) {
        Paragraph h = new Paragraph(text, H2);
        h.setSpacingBefore(10);
        h.setSpacingAfter(6);
        d.paragraph(h, PdfName.H2);
    }

    private static void note(TaggedPdf d, String text) {
        Paragraph n = new Paragraph(text, NOTE);
        n.setSpacingBefore(4);
        d.paragraph(n, PdfName.P);
    }

    private static PdfPTable table(float[] widths) {
        PdfPTable t = new PdfPTable(widths);
        t.setWidthPercentage(100);
        t.setHeaderRows(1);
        // a row that does not fit moves to the next page whole (a row taller than a page is still split)
        t.setSplitLate(true);
        return t;
    }

    private static void header(PdfPTable t, String... titles) {
        for (String title : titles) {
            PdfPCell c = cell(title, BOLD);
            c.setBackgroundColor(HEADER);
            t.addCell(c);
        }
    }

    private static PdfPCell cell(String text, Font font) {
        PdfPCell c = new PdfPCell(new Phrase(text == null ? "–" : text, font));
        c.setPadding(3);
        c.setPaddingBottom(4);
        c.setBorderColor(new Color(0xBB, 0xBB, 0xBB));
        c.setBorderWidth(0.5f);
        return c;
    }

    private static PdfPCell number(String text, Font font) {
        PdfPCell c = cell(text, font);
        c.setHorizontalAlignment(Element.ALIGN_RIGHT);
        return c;
    }

    private static PdfPCell filled(String text, Font font, Color fill, int align) {
        PdfPCell c = cell(text, font);
        c.setBackgroundColor(fill);
        c.setHorizontalAlignment(align);
        return c;
    }

    private static PdfPCell rag(String severity) {
        if (severity == null) {
            return cell("–", BODY);
        }
        return switch (severity) {
            case "red" -> filled(Names.severity(severity), WHITE, RED, Element.ALIGN_CENTER);
            case "amber" -> filled(Names.severity(severity), DARK, AMBER, Element.ALIGN_CENTER);
            default -> filled(Names.severity(severity), WHITE, GREEN, Element.ALIGN_CENTER);
        };
    }

    /** "Page n of N" and the profile's name at the foot of every page. */
    private static final class Footer extends PdfPageEventHelper {
        private static final BaseFont FONT = PackFonts.REGULAR;
        private final String label;
        private PdfTemplate total;

        Footer(String label) {
            this.label = label;
        }

        @Override
        public void onOpenDocument(PdfWriter writer, Document document) {
            total = writer.getDirectContent().createTemplate(30, 12);
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte cb = writer.getDirectContent();
            // page furniture: not part of the text a screen reader reads
            cb.beginMarkedContentSequence(TaggedPdf.ARTIFACT);
            float y = document.bottom() - 20;
            ColumnText.showTextAligned(cb, Element.ALIGN_LEFT, new Phrase(label, NOTE), document.left(), y, 0);
            String page = "Page " + writer.getPageNumber() + " of ";
            float x = document.right() - 30 - FONT.getWidthPoint(page, 7);
            cb.beginText();
            cb.setFontAndSize(FONT, 7);
            cb.setColorFill(MUTED);
            cb.setTextMatrix(x, y);
            cb.showText(page);
            cb.endText();
            cb.addTemplate(total, x + FONT.getWidthPoint(page, 7), y);
            cb.endMarkedContentSequence();
        }

        @Override
        public void onCloseDocument(PdfWriter writer, Document document) {
            total.beginText();
            total.setFontAndSize(FONT, 7);
            total.setColorFill(MUTED);
            total.setTextMatrix(0, 0);
            total.showText(String.valueOf(writer.getPageNumber() - 1));
            total.endText();
        }
    }
}
