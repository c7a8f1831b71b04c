package org.workforcewatch.reports;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfBoolean;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfDictionary;
import com.lowagie.text.pdf.PdfName;
import com.lowagie.text.pdf.PdfObject;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfString;
import com.lowagie.text.pdf.PdfStructureElement;
import com.lowagie.text.pdf.PdfWriter;
import com.lowagie.text.xml.xmp.XmpWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A tagged PDF (ISO 32000-1, 14.8) laid out block by block down the pages, so that a screen reader reads the pack
 * as it is printed: headings, paragraphs, tables by row and cell (header cells as TH), and charts as figures
 * with alternative text, in reading order under one Document element; page furniture (footers, a table's header
 * repeated on a later page) is an artifact. The document says its language, and viewers show its title.
 *
 * <p>OpenPDF tags nothing that {@link Document#add} draws, so every block is drawn here on the direct content,
 * inside marked content that belongs to its structure element. Tables are drawn cell by cell for the same reason;
 * as {@code Document.add} would, a row that does not fit moves to the next page whole, the table's header rows
 * are repeated there, and a table kept together starts a new page when it fits on one but not in what is left.
 */
final class TaggedPdf {

    static final PdfName ARTIFACT = new PdfName("Artifact");
    private static final PdfName TR = new PdfName("TR");
    private static final PdfName SCOPE = new PdfName("Scope");
    private static final PdfName COLUMN = new PdfName("Column");

    private final Document document;
    private final PdfWriter writer;
    private final PdfStructureElement root;
    private float y;

    private TaggedPdf(Document document, PdfWriter writer) {
        this.document = document;
        this.writer = writer;
        this.root = new PdfStructureElement(writer.getStructureTreeRoot(), PdfName.DOCUMENT);
        this.y = document.top();
    }

    /**
     * Marks the writer's document as tagged, in this language, with this title (shown by viewers instead of the file
     * name, and written to the XMP metadata as well as the document information), claiming PDF/UA-1, and opens it.
     */
    static TaggedPdf open(Document document, PdfWriter writer, String title, String language) {
        writer.setPdfVersion(PdfWriter.VERSION_1_7);
        writer.setTagged();
        writer.getExtraCatalog().put(PdfName.LANG, new PdfString(language));
        writer.addViewerPreference(PdfName.DISPLAYDOCTITLE, PdfBoolean.PDFTRUE);
        document.addTitle(title);
        document.open();
        writer.setXmpMetadata(xmp(writer));
        return new TaggedPdf(document, writer);
    }

    /** The document information as XMP, with the PDF/UA identification (ISO 14289-1, 5). */
    private static byte[] xmp(PdfWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XmpWriter xmp = new XmpWriter(out, writer.getInfo(), PdfWriter.PDFXNONE)) {
            xmp.addRdfDescription("xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"", "<pdfuaid:part>1</pdfuaid:part>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The rest of this page stays empty. */
    void newPage() {
        document.newPage();
        y = document.top();
    }

    /** A paragraph as a heading (H1, H2, H3) or a paragraph (P), on the next page if it does not fit on this one. */
    void paragraph(Paragraph p, PdfName tag) {
        float before = atTop() ? 0 : p.getSpacingBefore();
        float after = p.getSpacingAfter();
        p.setSpacingBefore(0);
        p.setSpacingAfter(0);
        if (!fits(p, y - before)) {
            newPage();
            before = 0;
        }
        y -= before;
        PdfContentByte cb = writer.getDirectContent();
        cb.beginMarkedContentSequence(new PdfStructureElement(root, tag));
        ColumnText ct = column(p, y);
        go(ct, false);
        cb.endMarkedContentSequence();
        y = ct.getYLine() - after;
    }

    /** A table: Table, a TR per row, TH for the cells of its header rows (column headers) and TD for the rest. */
    void table(PdfPTable t) {
        PdfStructureElement table = new PdfStructureElement(root, PdfName.TABLE);
        rows(t, (row, header) -> cells(table, header));
    }

    /**
     * A table whose first row (one cell across it, a header row) is the table's caption, and whose other rows are
     * tagged as {@link #table} tags them.
     */
    void captionedTable(PdfPTable t) {
        PdfStructureElement table = new PdfStructureElement(root, PdfName.TABLE);
        rows(t, (row, header) -> row == 0 ? cell -> new PdfStructureElement(table, PdfName.CAPTION) : cells(table, header));
    }

    /** A new row of the table: a TR, whose cells are header cells for its columns or data cells. */
    private static CellTags cells(PdfStructureElement table, boolean header) {
        PdfStructureElement tr = new PdfStructureElement(table, TR);
        return cell -> {
            PdfStructureElement e = new PdfStructureElement(tr, header ? PdfName.TH : PdfName.TD);
            if (header) {
                PdfDictionary scope = new PdfDictionary();
                scope.put(PdfName.O, PdfName.TABLE);
                scope.put(SCOPE, COLUMN);
                e.put(PdfName.A, scope);
            }
            return e;
        };
    }

    /**
     * A figure laid out as a one-column table kept together: its first row is the figure's heading (H3), the second
     * the chart, a Figure with this alternative text (or, with no chart, the paragraph saying why: alt is null).
     */
    void figure(PdfPTable t, String alt) {
        PdfStructureElement heading = new PdfStructureElement(root, PdfName.H3);
        PdfStructureElement body = new PdfStructureElement(root, alt == null ? PdfName.P : PdfName.FIGURE);
        if (alt != null) {
            body.put(PdfName.ALT, new PdfString(alt, PdfObject.TEXT_UNICODE));
        }
        rows(t, (row, header) -> cell -> row == 0 ? heading : body);
    }

    // ------------------------------------------------------------------ layout

    /** The structure element of each cell of a row, given the row's index and whether it is a header row. */
    private interface RowTags {
        CellTags row(int row, boolean header);
    }

    private interface CellTags {
        PdfStructureElement cell(PdfPCell cell);
    }

    private void rows(PdfPTable t, RowTags tags) {
        float width = (document.right() - document.left()) * t.getWidthPercentage() / 100;
        t.setTotalWidth(width);
        t.setLockedWidth(true);
        float x = switch (t.getHorizontalAlignment()) {
            case Element.ALIGN_LEFT -> document.left();
            case Element.ALIGN_RIGHT -> document.right() - width;
            default -> document.left() + (document.right() - document.left() - width) / 2;
        };
        float pageHeight = document.top() - document.bottom();
        if (!atTop()) {
            y -= t.spacingBefore();
        }
        if (t.getKeepTogether() && t.getTotalHeight() > y - document.bottom() && t.getTotalHeight() <= pageHeight) {
            newPage();
        }
        int headers = Math.min(t.getHeaderRows(), t.size());
        float headerHeight = 0;
        for (int r = 0; r < headers; r++) {
            headerHeight += t.getRowHeight(r);
        }
        // the header with the first row after it, as Document.add keeps them
        float first = headerHeight + (t.size() > headers ? t.getRowHeight(headers) : 0);
        if (first > y - document.bottom() && first <= pageHeight) {
            newPage();
        }
        for (int r = 0; r < headers; r++) {
            row(t, r, x, tags.row(r, true));
        }
        for (int r = headers; r < t.size(); r++) {
            float h = t.getRowHeight(r);
            if (h > y - document.bottom() && h + headerHeight <= pageHeight) {
                newPage();
                for (int k = 0; k < headers; k++) {
                    row(t, k, x, null);
                }
            }
            row(t, r, x, tags.row(r, false));
        }
        y -= t.spacingAfter();
    }

    /** One row, cell by cell, each in the marked content of its structure element (or all as an artifact: tags null). */
    private void row(PdfPTable t, int r, float x, CellTags tags) {
        PdfContentByte cb = writer.getDirectContent();
        if (tags == null) {
            cb.beginMarkedContentSequence(ARTIFACT);
            t.writeSelectedRows(0, -1, r, r + 1, x, y, cb);
            cb.endMarkedContentSequence();
        } else {
            float[] widths = t.getAbsoluteWidths();
            PdfPCell[] cells = t.getRow(r).getCells();
            float cx = x;
            for (int k = 0; k < cells.length; k++) {
                PdfPCell cell = cells[k];
                if (cell == null) {
                    cx += widths[k];
                    continue;
                }
                int span = Math.max(1, cell.getColspan());
                cb.beginMarkedContentSequence(tags.cell(cell));
                t.writeSelectedRows(k, k + span, r, r + 1, cx, y, cb);
                cb.endMarkedContentSequence();
                for (int s = k; s < Math.min(cells.length, k + span); s++) {
                    cx += widths[s];
                }
                k += span - 1;
            }
        }
        y -= t.getRowHeight(r);
    }

    private boolean atTop() {
        return y >= document.top();
    }

    private boolean fits(Paragraph p, float top) {
        return !ColumnText.hasMoreText(go(column(p, top), true));
    }

    private ColumnText column(Paragraph p, float top) {
        ColumnText ct = new ColumnText(writer.getDirectContent());
        ct.setSimpleColumn(document.left(), document.bottom(), document.right(), top);
        ct.addElement(p);
        return ct;
    }

    private static int go(ColumnText ct, boolean simulate) {
        try {
            return ct.go(simulate);
        } catch (com.lowagie.text.DocumentException e) {
            throw new IllegalStateException(e);
        }
    }
}
