package org.workforcewatch.reports;

import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.FontMapper;
import java.awt.Font;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The board pack's typeface, embedded in every pack as PDF/UA-1 requires of every font: DejaVu Sans Condensed,
 * regular and bold (src/main/resources/fonts, with its licence), close to Helvetica's widths. The charts' text is
 * drawn in it too ({@link #CHARTS}).
 */
final class PackFonts {

    static final BaseFont REGULAR = load("DejaVuSansCondensed.ttf");
    static final BaseFont BOLD = load("DejaVuSansCondensed-Bold.ttf");

    /** For JFreeChart drawing into the PDF: a bold AWT font in the bold cut, any other in the regular one. */
    static final FontMapper CHARTS = new FontMapper() {
        @Override
        public BaseFont awtToPdf(Font font) {
            return font.isBold() ? BOLD : REGULAR;
        }

        @Override
        public Font pdfToAwt(BaseFont font, int size) {
            return new Font(Font.SANS_SERIF, font == BOLD ? Font.BOLD : Font.PLAIN, size);
        }
    };

    private PackFonts() {
    }

    private static BaseFont load(String file) {
        try (InputStream in = PackFonts.class.getResourceAsStream("/fonts/" + file)) {
            byte[] bytes = Objects.requireNonNull(in, "fonts/" + file + " is missing from the class path").readAllBytes();
            return BaseFont.createFont(file, BaseFont.WINANSI, BaseFont.EMBEDDED, true, bytes, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
