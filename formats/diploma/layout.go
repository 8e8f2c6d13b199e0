package diploma

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
)

// The page: A4 landscape, in millimetres.
const (
	pageW = 297.0
	pageH = 210.0
	// maxTextW is the widest a line may be: 13 mm inside the inner
	// frame on either side.
	maxTextW = 245.0
)

// The name's sizes, in points. A name is set on one line at nameSize,
// or as small as oneLineMin; a longer one on two lines, at most
// twoLinesMax; one that still does not fit on three; never below
// MinNameSize, at which 12 pt body text would be the next size down.
const (
	nameSize    = 34.0
	oneLineMin  = 26.0
	twoLinesMax = 30.0
	MinNameSize = 18.0
	// nameCenter is the middle of the name's lines, on the pale band.
	nameCenter = 106.0
	// The font's proportions, in ems: the height of a capital, the
	// depth below the baseline, and the distance between two lines.
	capHeight = 0.73
	descent   = 0.24
	leading   = 1.2
	// minSize is the smallest any other line is shrunk to.
	minSize = 10.0
)

// mmPerPt is the millimetres of one point.
const mmPerPt = 25.4 / 72

// line is one line of text, centred on the page at baseline y (mm).
type line struct {
	text  string
	y     float64
	size  float64 // points
	bold  bool
	color rgb
}

// layout is what both renderers draw: the lines and the pale band
// behind the name.
type layout struct {
	lines []line
	band  struct{ y, h float64 }
}

// layout lays the diploma out, measuring with the embedded fonts.
func (d Diploma) layout() (layout, error) {
	m, err := newMeasurer()
	if err != nil {
		return layout{}, err
	}
	defer m.close()
	var l layout
	add := func(text string, y, size float64, bold bool, color rgb) {
		if text == "" {
			return
		}
		for size > minSize && m.width(text, bold, size) > maxTextW {
			size--
		}
		l.lines = append(l.lines, line{text, y, size, bold, color})
	}
	add(d.Event, 40, 26, true, blue)
	add(d.Title, 66, 40, true, ink)
	add(d.Awarded, 86, 15, false, grey)
	names, size := fitName(d.Name, m)
	em := size * mmPerPt
	first := nameCenter - float64(len(names)-1)*leading*em/2 + capHeight*em/2
	for i, n := range names {
		l.lines = append(l.lines, line{n, first + float64(i)*leading*em, size, true, ink})
	}
	last := first + float64(max(len(names), 1)-1)*leading*em
	l.band.y = first - capHeight*em - 4
	l.band.h = last + descent*em + 4 - l.band.y
	add(d.For, 132, 17, false, ink)
	add(d.Result, 148, 24, true, blue)
	add(d.Places, 158, 14, false, ink)
	add(d.Chip, 166, 13, false, grey)
	add(d.Date, 177, 13, false, grey)
	add(d.Organizer, 186, 11, false, grey)
	return l, nil
}

// fitName sets name on as few lines as read well, at the largest size
// that fits: one line down to oneLineMin, then two lines down to
// MinNameSize, then three. A line may end at a space or after the
// hyphen of a double name (Преображенская-|Новосельцева). A word too
// long for a line even then is cut where it must be.
func fitName(name string, m *measurer) ([]string, float64) {
	words := breaks(name)
	if len(words) == 0 {
		return nil, nameSize
	}
	for _, try := range []struct {
		lines    int
		from, to float64
	}{{1, nameSize, oneLineMin}, {2, twoLinesMax, MinNameSize}, {3, MinNameSize + 4, MinNameSize}} {
		if try.lines > len(words) {
			break
		}
		for size := try.from; size >= try.to; size-- {
			if lines, w := m.split(words, try.lines, size); w <= maxTextW {
				return lines, size
			}
		}
	}
	return m.cut(strings.Join(strings.Fields(name), " "), MinNameSize), MinNameSize
}

// breaks cuts name where a line may end: each piece is a word, or the
// part of a word up to and with a hyphen.
func breaks(name string) []string {
	var out []string
	for _, w := range strings.Fields(name) {
		for {
			i := strings.IndexByte(w, '-')
			if i < 0 || i == len(w)-1 {
				out = append(out, w)
				break
			}
			out = append(out, w[:i+1])
			w = w[i+1:]
		}
	}
	return out
}

// join sets pieces on one line: a space between two, none after a
// hyphen.
func join(pieces []string) string {
	var b strings.Builder
	for i, p := range pieces {
		if i > 0 && !strings.HasSuffix(pieces[i-1], "-") {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// measurer measures text in the embedded fonts. Unhinted widths grow
// with the size, so each face is made once, at refSize.
type measurer struct {
	regular, bold font.Face
}

const refSize = 100.0

func newMeasurer() (*measurer, error) {
	reg, bld, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("diploma fonts: %w", err)
	}
	face := func(f *opentype.Font) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: refSize, DPI: 72, Hinting: font.HintingNone})
	}
	m := &measurer{}
	if m.regular, err = face(reg); err != nil {
		return nil, fmt.Errorf("diploma face: %w", err)
	}
	if m.bold, err = face(bld); err != nil {
		return nil, fmt.Errorf("diploma face: %w", err)
	}
	return m, nil
}

func (m *measurer) close() {
	m.regular.Close()
	m.bold.Close()
}

// width is the width of text at size points, in mm.
func (m *measurer) width(text string, bold bool, size float64) float64 {
	f := m.regular
	if bold {
		f = m.bold
	}
	w := font.MeasureString(f, text)
	return float64(w) / 64 * size / refSize * mmPerPt
}

// split puts words (pieces of breaks) on n lines so that the widest is as narrow as it
// can be, and returns the lines and that width.
func (m *measurer) split(words []string, n int, size float64) ([]string, float64) {
	text := func(from, to int) string { return join(words[from:to]) }
	w := func(from, to int) float64 { return m.width(text(from, to), true, size) }
	switch n {
	case 1:
		return []string{text(0, len(words))}, w(0, len(words))
	case 2:
		best, bestW := 1, w(0, 1)+maxTextW*10
		for i := 1; i < len(words); i++ {
			if wi := max(w(0, i), w(i, len(words))); wi < bestW {
				best, bestW = i, wi
			}
		}
		return []string{text(0, best), text(best, len(words))}, bestW
	}
	bi, bj, bestW := 1, 2, maxTextW*10
	for i := 1; i < len(words)-1; i++ {
		for j := i + 1; j < len(words); j++ {
			if wij := max(w(0, i), w(i, j), w(j, len(words))); wij < bestW {
				bi, bj, bestW = i, j, wij
			}
		}
	}
	return []string{text(0, bi), text(bi, bj), text(bj, len(words))}, bestW
}

// cut fills lines letter by letter at size: the last resort for a word
// wider than the page.
func (m *measurer) cut(text string, size float64) []string {
	var lines []string
	for text != "" {
		n := len(text)
		for n > 0 && m.width(text[:n], true, size) > maxTextW {
			_, last := utf8.DecodeLastRuneInString(text[:n])
			n -= last
		}
		if n == 0 {
			_, n = utf8.DecodeRuneInString(text)
		}
		lines = append(lines, strings.TrimSpace(text[:n]))
		text = strings.TrimSpace(text[n:])
	}
	return lines
}
