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
	// Name is the participant's name as they wrote it.
	Name string
	// For says what for: "for finishing the 5 km run".
	For string
	// Result is the time, or empty for a participation diploma.
	Result string
	// Date is the date (and place) of the event.
	Date string
	// Organizer signs the diploma.
	Organizer string
}

// The page: A4 landscape, in millimetres.
const (
	pageW = 297.0
	pageH = 210.0
	// maxTextW is the widest a line may be; longer ones are set smaller.
	maxTextW = 245.0
)

type rgb struct{ r, g, b uint8 }

var (
	blue = rgb{31, 111, 178}
	ink  = rgb{33, 37, 41}
	grey = rgb{90, 98, 105}
	pale = rgb{226, 238, 248}
)

// line is one line of text, centred on the page at baseline y (mm).
type line struct {
	text  string
	y     float64
	size  float64 // points
	bold  bool
	color rgb
}

// lines lays the diploma out; both renderers draw the same lines.
func (d Diploma) lines() []line {
	all := []line{
		{d.Event, 40, 26, true, blue},
		{d.Title, 66, 40, true, ink},
		{d.Awarded, 86, 15, false, grey},
		{d.Name, 110, 34, true, ink},
		{d.For, 130, 17, false, ink},
		{d.Result, 150, 24, true, blue},
		{d.Date, 174, 13, false, grey},
		{d.Organizer, 184, 11, false, grey},
	}
	out := all[:0]
	for _, l := range all {
		if l.text != "" {
			out = append(out, l)
		}
	}
	return out
}

// frames are the two borders: a thick outer and a thin inner one, as
// x, y, w, h in mm and the line width.
var frames = []struct{ x, y, w, h, width float64 }{
	{8, 8, pageW - 16, pageH - 16, 2.2},
	{13, 13, pageW - 26, pageH - 26, 0.5},
}

// band is the pale stripe behind the name.
var band = struct{ y, h float64 }{96, 20}

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
	p.SetFillColor(int(pale.r), int(pale.g), int(pale.b))
	p.Rect(frames[1].x, band.y, frames[1].w, band.h, "F")
	p.SetDrawColor(int(blue.r), int(blue.g), int(blue.b))
	for _, f := range frames {
		p.SetLineWidth(f.width)
		p.Rect(f.x, f.y, f.w, f.h, "D")
	}
	for _, l := range d.lines() {
		style := ""
		if l.bold {
			style = "B"
		}
		size := l.size
		p.SetFont("dejavu", style, size)
		for w := p.GetStringWidth(l.text); w > maxTextW && size > 8; w = p.GetStringWidth(l.text) {
			size--
			p.SetFont("dejavu", style, size)
		}
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
