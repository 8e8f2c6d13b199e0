// Package diploma is everything about a diploma but the conversation:
// drawing a finisher's or a participant's diploma as a PDF to keep and
// print and as a PNG preview of the same page, and serving the links of
// results pushes (Server). Both drawings use the embedded DejaVu Sans,
// which has every letter of the Kazakh alphabet (Ә Ғ Қ Ң Ө Ұ Ү Һ І), so
// names come out as people wrote them. The words, already in the
// participant's language, come from the caller.
package diploma

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/go-pdf/fpdf"
)

var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte
)

// Diploma is what one diploma says, every line ready to print in the
// participant's language. Empty lines are left out.
type Diploma struct {
	// Event is the event's name: "Run for Autism".
	Event string
	// Title is the kind of diploma: "ДИПЛОМ", "Participation diploma".
	Title string
	// Awarded introduces the name: "is awarded to".
	Awarded string
	// Name is the participant's name as they wrote it, up to 100
	// characters: a long one is set on two lines.
	Name string
	// For says what for: "for finishing the 5 km run".
	For string
	// Result is the time, or empty for a participation diploma.
	Result string
	// Places are the places overall and in the age group, when the
	// results have them: "Place: 12 of 340 · Age group 30–39: 3 of 41".
	Places string `json:",omitempty"`
	// Chip is the chip time, when the results have one.
	Chip string `json:",omitempty"`
	// Date is the date (and place) of the event.
	Date string
	// Organizer signs the diploma.
	Organizer string
}

type rgb struct{ r, g, b uint8 }

var (
	blue = rgb{31, 111, 178}
	ink  = rgb{33, 37, 41}
	grey = rgb{90, 98, 105}
	pale = rgb{226, 238, 248}
)

// frames are the two borders: a thick outer and a thin inner one, as
// x, y, w, h in mm and the line width.
var frames = []struct{ x, y, w, h, width float64 }{
	{8, 8, pageW - 16, pageH - 16, 2.2},
	{13, 13, pageW - 26, pageH - 26, 0.5},
}

// PDF draws the diploma as a one-page A4 landscape PDF.
func PDF(d Diploma) ([]byte, error) {
	p := fpdf.New("L", "mm", "A4", "")
	p.SetTitle(d.Title+" — "+d.Name, true)
	p.SetAuthor(d.Organizer, true)
	p.AddUTF8FontFromBytes("dejavu", "", regularTTF)
	p.AddUTF8FontFromBytes("dejavu", "B", boldTTF)
	p.SetMargins(0, 0, 0)
	p.SetAutoPageBreak(false, 0)
	p.AddPage()
	l, err := d.layout()
	if err != nil {
		return nil, err
	}
	p.SetFillColor(int(pale.r), int(pale.g), int(pale.b))
	p.Rect(frames[1].x, l.band.y, frames[1].w, l.band.h, "F")
	p.SetDrawColor(int(blue.r), int(blue.g), int(blue.b))
	for _, f := range frames {
		p.SetLineWidth(f.width)
		p.Rect(f.x, f.y, f.w, f.h, "D")
	}
	for _, l := range l.lines {
		style := ""
		if l.bold {
			style = "B"
		}
		p.SetFont("dejavu", style, l.size)
		p.SetTextColor(int(l.color.r), int(l.color.g), int(l.color.b))
		p.Text((pageW-p.GetStringWidth(l.text))/2, l.y, l.text)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("diploma pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// Draw draws d as format: "pdf" or "png".
func Draw(format string, d Diploma) ([]byte, error) {
	switch format {
	case "pdf":
		return PDF(d)
	case "png":
		return PNG(d)
	}
	return nil, fmt.Errorf("diploma: no format %q, only pdf and png", format)
}

// MIME is the media type of format: "application/pdf", "image/png".
func MIME(format string) string {
	if format == "png" {
		return "image/png"
	}
	return "application/pdf"
}

// FileName is the name of the diploma of registration code as format:
// "diploma-RFA-7K2Q.pdf".
func FileName(code, format string) string { return "diploma-" + code + "." + format }
