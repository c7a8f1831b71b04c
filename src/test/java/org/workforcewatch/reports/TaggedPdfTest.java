package org.workforcewatch.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.lowagie.text.Document;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfName;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDMarkedContent;
import org.apache.pdfbox.text.PDFMarkedContentExtractor;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;

/**
 * The tagged layout keeps what the board pack relies on from OpenPDF's own: a table too long for a page goes on
 * over the next one with its header repeated there (as an artifact, so it is read once), a row never split, and
 * every row tagged as a TR of the one table, in order.
 */
class TaggedPdfTest {

    private static final Font FONT = new Font(PackFonts.REGULAR, 10, Font.NORMAL);

    @Test
    void aLongTableGoesOnOverPagesWithItsHeaderRepeatedAsAnArtifactAndEveryRowTaggedOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4.rotate(), 36, 36, 32, 40);
        PdfWriter writer = PdfWriter.getInstance(document, out);
        TaggedPdf pdf = TaggedPdf.open(document, writer, "A long table", "en-GB");
        pdf.paragraph(new Paragraph("Rows", FONT), PdfName.H1);
        PdfPTable table = new PdfPTable(2);
        table.setHeaderRows(1);
        table.setSplitLate(true);
        table.addCell(new PdfPCell(new Phrase("Row", FONT)));
        table.addCell(new PdfPCell(new Phrase("Value", FONT)));
        for (int r = 1; r <= 60; r++) {
            table.addCell(new PdfPCell(new Phrase("R" + r, FONT)));
            table.addCell(new PdfPCell(new Phrase(String.valueOf(r * 10), FONT)));
        }
        pdf.table(table);
        document.close();

        try (PDDocument read = Loader.loadPDF(out.toByteArray())) {
            assertThat(read.getNumberOfPages()).isGreaterThan(1);
            PDFTextStripper stripper = new PDFTextStripper();
            for (int page = 1; page <= read.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                assertThat(stripper.getText(read)).as("page " + page).contains("Row").contains("Value");
            }
            // the header is tagged once, on the first page; on the others it is page furniture
            int artifacts = 0;
            for (int page = 0; page < read.getNumberOfPages(); page++) {
                PDFMarkedContentExtractor extractor = new PDFMarkedContentExtractor();
                extractor.processPage(read.getPage(page));
                for (PDMarkedContent mc : extractor.getMarkedContents()) {
                    if (COSName.getPDFName("Artifact").getName().equals(mc.getTag()) && text(mc).contains("Row")) {
                        artifacts++;
                    }
                }
            }
            assertThat(artifacts).isEqualTo(read.getNumberOfPages() - 1);

            PDStructureElement root = (PDStructureElement) read.getDocumentCatalog().getStructureTreeRoot().getKids().get(0);
            List<String> kinds = new ArrayList<>();
            root.getKids().forEach(k -> kinds.add(((PDStructureElement) k).getStructureType()));
            assertThat(kinds).containsExactly("H1", "Table");
            PDStructureElement tagged = (PDStructureElement) root.getKids().get(1);
            assertThat(tagged.getKids()).hasSize(61).allSatisfy(tr -> assertThat(((PDStructureElement) tr).getStructureType()).isEqualTo("TR"));
            assertThat(((PDStructureElement) ((PDStructureElement) tagged.getKids().get(0)).getKids().get(0)).getStructureType()).isEqualTo("TH");
            assertThat(((PDStructureElement) ((PDStructureElement) tagged.getKids().get(60)).getKids().get(1)).getStructureType()).isEqualTo("TD");
        }
    }

    private static String text(PDMarkedContent mc) {
        StringBuilder s = new StringBuilder();
        for (Object c : mc.getContents()) {
            if (c instanceof TextPosition t) {
                s.append(t.getUnicode());
            } else if (c instanceof PDMarkedContent inner) {
                s.append(text(inner));
            }
        }
        return s.toString();
    }
}
