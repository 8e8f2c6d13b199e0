package diploma_test

import (
	"bytes"
	"compress/zlib"
	"flag"
	"image"
	"image/png"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/image/font/sfnt"

	"github.com/runforautism/rfabot/formats/diploma"
)

// kazakh are the letters of the Kazakh alphabet that Russian has not,
// capital and small.
const kazakh = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"

// kazakhName has every one of them, in one case or the other.
const kazakhName = "Әлия-Үміт Ғабитқызы Қоңыр-Өмірұлы Шаһизада"

func sample(name string) diploma.Diploma {
	return diploma.Diploma{
		Event: "Run for Autism", Title: "ДИПЛОМ", Awarded: "Осы дипломмен", Name: name,
		For: "5 км қашықтықты жүгіріп өткені үшін марапатталады", Result: "Уақыты: 0:25:13",
		Places: "Орын: 12 (340 адамның ішінде) · 30–39 тобында: 3 (41 адамның ішінде)", Chip: "Таза уақыт (чип бойынша): 0:24:58",
		Date: "2027 жылғы 3 сәуір", Organizer: "«Болашақ» қайырымдылық қоры",
	}
}

// TestFontsHaveKazakhLetters checks the fonts the package embeds draw every
// Kazakh letter with a glyph of its own, not the missing-glyph box.
func TestFontsHaveKazakhLetters(t *testing.T) {
	for _, name := range []string{"fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := sfnt.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var buf sfnt.Buffer
		for _, r := range kazakh + "АБВабвЁё«»–" {
			gi, err := f.GlyphIndex(&buf, r)
			if err != nil || gi == 0 {
				t.Errorf("%s: no glyph for %q (index %d, err %v)", name, r, gi, err)
			}
		}
	}
}

// TestPNGDrawsTheKazakhName renders the preview for a name with every
// Kazakh letter, decodes the PNG and checks the page is not blank and
// the band where the name goes has ink of the name's colour, much more
// than with a one-letter name.
func TestPNGDrawsTheKazakhName(t *testing.T) {
	for _, r := range "ӘҒҚҢӨҰҮҺІ" {
		if !strings.ContainsRune(strings.ToUpper(kazakhName), r) {
			t.Fatalf("the test name lacks %q", r)
		}
	}
	long := decode(t, sample(kazakhName))
	short := decode(t, sample("Ә"))
	b := long.Bounds()
	if b.Dx() != 1188 || b.Dy() != 840 {
		t.Fatalf("preview is %v, want 1188×840", b.Size())
	}
	if n := darkPixels(long, b); n < 20000 {
		t.Fatalf("page has %d dark pixels: blank", n)
	}
	// The name's baseline is 110 mm from the top; its letters rise about
	// 9 mm above it and Ғ, Қ and ң reach below; the frames are left out.
	band := image.Rect(15*4, 96*4, (297-15)*4, 114*4)
	inkLong, inkShort := darkPixels(long, band), darkPixels(short, band)
	if inkLong < 8000 {
		t.Errorf("name band has %d dark pixels, want the name drawn", inkLong)
	}
	if inkShort == 0 || inkLong < 10*inkShort {
		t.Errorf("name band: %d dark pixels for the full name, %d for one letter", inkLong, inkShort)
	}
	// Each Kazakh capital on its own leaves ink of its own shape.
	seen := map[string]string{}
	for _, r := range "ӘҒҚҢӨҰҮҺІ" {
		img, err := diploma.Image(diploma.Diploma{Name: string(r)})
		if err != nil {
			t.Fatal(err)
		}
		n := darkPixels(img, band)
		if n < 200 {
			t.Errorf("%q drew %d dark pixels", r, n)
		}
		key := shape(img, band)
		if o, dup := seen[key]; dup {
			t.Errorf("%q looks exactly like %q: a missing-glyph box?", r, o)
		}
		seen[key] = string(r)
	}
}

func decode(t *testing.T, d diploma.Diploma) image.Image {
	t.Helper()
	b, err := diploma.PNG(d)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the preview is not a PNG: %v", err)
	}
	return img
}

// darkPixels counts the pixels in r darker than the pale band behind
// the name.
func darkPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr+cg+cb)/3 < 0x8000 {
				n++
			}
		}
	}
	return n
}

// shape is the set of dark pixels in r, as a string to compare.
func shape(img image.Image, r image.Rectangle) string {
	var b []byte
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr+cg+cb)/3 < 0x8000 {
				b = strconv.AppendInt(b, int64(y*10000+x), 36)
				b = append(b, ' ')
			}
		}
	}
	return string(b)
}

// TestPDFHasTheTextAndTheGlyphs checks the PDF writes the name's words (as
// UTF-16, the way fpdf writes text in a Unicode font) and embeds a glyph
// for each of its Kazakh letters.
func TestPDFHasTheTextAndTheGlyphs(t *testing.T) {
	b, err := diploma.PDF(sample(kazakhName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 20)])
	}
	streams := pdfStreams(t, b)
	var content []byte
	for _, s := range streams {
		content = append(content, s...)
	}
	// The name may be set on two lines, never with a word cut.
	for _, text := range append(strings.Fields(kazakhName), "Run for Autism", "0:25:13") {
		if !bytes.Contains(content, pdfString(text)) {
			t.Errorf("PDF content does not write %q", text)
		}
	}
	// The CIDToGIDMap of each embedded font maps a character to its
	// glyph in the subset: a Kazakh letter mapped to glyph 0 would print
	// nothing.
	maps := regexp.MustCompile(`/CIDToGIDMap (\d+) 0 R`).FindAllSubmatch(b, -1)
	if len(maps) != 2 {
		t.Fatalf("%d CIDToGIDMaps, want 2 (regular and bold)", len(maps))
	}
	full := false
	for _, m := range maps {
		cidToGID := object(t, b, string(m[1]))
		missing := 0
		for _, r := range kazakhName {
			if r != ' ' && r != '-' && (2*int(r)+1 >= len(cidToGID) || cidToGID[2*r] == 0 && cidToGID[2*r+1] == 0) {
				missing++
			}
		}
		full = full || missing == 0
	}
	if !full {
		t.Error("no embedded font maps every letter of the name to a glyph")
	}
}

// pdfString is text as fpdf writes it in a Unicode font: UTF-16BE with
// parentheses and backslashes escaped.
func pdfString(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			if c == '(' || c == ')' || c == '\\' {
				out = append(out, '\\')
			}
			out = append(out, c)
		}
	}
	return out
}

var streamRe = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)

func pdfStreams(t *testing.T, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, m := range streamRe.FindAllSubmatch(b, -1) {
		if d, err := inflate(m[1]); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// object is the inflated stream of object id.
func object(t *testing.T, b []byte, id string) []byte {
	t.Helper()
	re := regexp.MustCompile(`(?s)\n` + id + ` 0 obj\n.*?stream\r?\n(.*?)endstream`)
	m := re.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no object %s", id)
	}
	d, err := inflate(m[1])
	if err != nil {
		t.Fatalf("object %s: %v", id, err)
	}
	return d
}

func inflate(b []byte) ([]byte, error) {
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func BenchmarkPDF(b *testing.B) {
	d := sample(kazakhName)
	for b.Loop() {
		if _, err := diploma.PDF(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPNG(b *testing.B) {
	d := sample(kazakhName)
	for b.Loop() {
		if _, err := diploma.PNG(d); err != nil {
			b.Fatal(err)
		}
	}
}

var updateDocs = flag.Bool("update-docs", false, "write the README's example diploma to docs/")

// TestDocsExample keeps the README's example diploma in step with the
// renderer: go test ./formats/diploma -update-docs draws it again.
func TestDocsExample(t *testing.T) {
	const path = "../../docs/diploma-example.png"
	if *updateDocs {
		b, err := diploma.PNG(sample(kazakhName))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (draw it with go test ./formats/diploma -update-docs)", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := decode(t, sample(kazakhName))
	if img.Bounds() != want.Bounds() || darkPixels(img, img.Bounds()) != darkPixels(want, want.Bounds()) {
		t.Error("docs/diploma-example.png is not what the renderer draws now: go test ./formats/diploma -update-docs")
	}
}
