package odata

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// RenderPDF writes a small but valid PDF 1.4 document: one or more A4 pages of text in Helvetica,
// with a correct cross-reference table, so any PDF reader opens it. Erp.Net renders its printouts
// from report templates; the simulator only needs a real PDF that carries the document's data.
func RenderPDF(title string, lines []string) []byte {
	const perPage = 48
	var pages [][]string
	for len(lines) > perPage {
		pages = append(pages, lines[:perPage])
		lines = lines[perPage:]
	}
	pages = append(pages, lines)

	var buf bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// Objects: 1 catalog, 2 pages, 3 font, 4 info, then a page and its content stream per page.
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 5+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj(fmt.Sprintf("<< /Title (%s) /Producer (Erp.Net simulator) >>", pdfString(title)))
	for i, pg := range pages {
		var content bytes.Buffer
		content.WriteString("BT\n/F1 16 Tf\n50 790 Td\n")
		fmt.Fprintf(&content, "(%s) Tj\n/F1 10 Tf\n0 -28 Td\n14 TL\n", pdfString(title))
		for _, ln := range pg {
			fmt.Fprintf(&content, "(%s) '\n", pdfString(ln))
		}
		fmt.Fprintf(&content, "ET\nBT /F1 8 Tf 50 30 Td (Page %d of %d) Tj ET\n", i+1, len(pages))
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 6+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()))
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return buf.Bytes()
}

// pdfString encodes text for a PDF string literal in WinAnsi: Cyrillic is transliterated (the
// standard fonts have no Cyrillic glyphs), anything else unencodable becomes '?', and the
// literal's delimiters are escaped.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		if t, ok := translit[r]; ok {
			b.WriteString(t)
			continue
		}
		if r >= 'А' && r <= 'я' {
			if t, ok := translit[r+32]; ok && r < 'а' { // upper case from lower-case table
				b.WriteString(strings.ToUpper(t[:1]) + t[1:])
				continue
			}
		}
		enc, ok := charmap.Windows1252.EncodeRune(r)
		switch {
		case !ok || r == utf8.RuneError:
			b.WriteByte('?')
		case enc == '(' || enc == ')' || enc == '\\':
			b.WriteByte('\\')
			b.WriteByte(enc)
		default:
			b.WriteByte(enc)
		}
	}
	return b.String()
}

var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sht", 'ъ': "a", 'ь': "y", 'ю': "yu", 'я': "ya",
}
