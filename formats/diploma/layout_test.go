package diploma_test

import (
	"image"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/runforautism/rfabot/formats/diploma"
)

// px is millimetres on the preview.
func px(mm float64) int { return int(mm * diploma.PreviewScale) }

// nameLines finds the name on the preview: the runs of rows, between
// the "awarded" line and the "for" line, that hold pixels of the name's
// ink colour (the grey and blue lines are not), and the leftmost and
// rightmost of those pixels.
func nameLines(img image.Image) (runs [][2]int, left, right int) {
	isInk := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r < 0x5000 && g < 0x5000 && b < 0x5000
	}
	left, right = img.Bounds().Dx(), -1
	start, gap := -1, 0
	for y := px(89); y < px(125); y++ {
		found := false
		for x := px(14); x < px(283); x++ {
			if isInk(x, y) {
				found = true
				left, right = min(left, x), max(right, x)
			}
		}
		switch {
		case found && start < 0:
			start, gap = y, 0
		case found:
			gap = 0
		case start >= 0:
			// A gap of a pixel or two is inside a line (the dot of
			// an і); more ends it.
			if gap++; gap > 2 {
				runs = append(runs, [2]int{start, y - gap})
				start = -1
			}
		}
	}
	if start >= 0 {
		runs = append(runs, [2]int{start, px(125)})
	}
	return runs, left, right
}

// TestLongNamesWrap draws names of up to 100 characters: a long name
// goes on two lines (three for 100 capitals, four for one word of 100
// of the widest letter, cut where it must be), every line stays inside
// the page's margins, and its letters stay as tall as a capital at
// MinNameSize; a short name keeps one line at the full size.
func TestLongNamesWrap(t *testing.T) {
	long := "Александра-Виктория Константиновна Преображенская-Новосельцева Абдурахман-Оглы Мухаммед Рахимова Ли"
	kazakhLong := "Әлия-Үміт Ғабитқызы Қоңыр-Өмірұлы Шаһизада Нұрсұлтанқызы Бекмұхамбетова-Жақсылықова Ұлдана Сағат"
	// A capital of the smallest size the name may have, on the preview,
	// less a pixel of hinting.
	capPx := 0.70 * diploma.MinNameSize * 25.4 / 72 * diploma.PreviewScale
	minCap := int(capPx) - 1
	tests := []struct {
		name             string
		minLines, lines  int
		minHeight        int
		wantSingleHeight bool
	}{
		{"Дана Абенова", 1, 1, 0, true},
		{kazakhName, 1, 2, minCap, false},
		{long, 2, 2, minCap, false},
		{kazakhLong, 2, 2, minCap, false},
		{strings.ToUpper(long), 2, 3, minCap, false},
		{strings.Repeat("Ш", 100), 1, 4, minCap, false},
	}
	single := 0
	for _, tt := range tests {
		if n := utf8.RuneCountInString(tt.name); n > 100 {
			t.Fatalf("%q has %d characters", tt.name, n)
		}
		img, err := diploma.Image(sample(tt.name))
		if err != nil {
			t.Fatal(err)
		}
		runs, left, right := nameLines(img)
		if len(runs) < tt.minLines || len(runs) > tt.lines {
			t.Errorf("%.20q…: %d lines %v, want %d to %d", tt.name, len(runs), runs, tt.minLines, tt.lines)
			continue
		}
		// The lines may be 245 mm wide, centred: 26 mm from each edge
		// of the page, 13 mm inside the inner frame.
		if left < px(24) || right > px(297-24) {
			t.Errorf("%.20q…: ink from %.1f to %.1f mm, outside the margins", tt.name, float64(left)/4, float64(right)/4)
		}
		for _, r := range runs {
			if h := r[1] - r[0]; h < tt.minHeight {
				t.Errorf("%.20q…: a line %d px tall, smaller than %d px (%g pt)", tt.name, h, tt.minHeight, diploma.MinNameSize)
			}
		}
		if tt.wantSingleHeight {
			single = runs[0][1] - runs[0][0]
		}
	}
	// One line at the full 34 pt: its capitals are nearly 9 mm tall.
	if single < px(8) {
		t.Errorf("a short name is %d px tall, want the full size", single)
	}
}

// TestPlacesAndChipTime: the places and the chip time are on the
// diploma when given, and are left out (with no ink) when not.
func TestPlacesAndChipTime(t *testing.T) {
	d := sample("Дана Абенова")
	d.Places, d.Chip = "", ""
	bare := darkPixels(mustImage(t, d), image.Rect(px(20), px(152), px(277), px(168)))
	d.Places = "Орын: 12 (340 адамның ішінде) · 30–39 тобында: 3 (41 адамның ішінде)"
	d.Chip = "Таза уақыт (чип бойынша): 0:24:58"
	img := mustImage(t, d)
	places := darkPixels(img, image.Rect(px(20), px(152), px(277), px(160)))
	chip := darkPixels(img, image.Rect(px(20), px(161), px(277), px(168)))
	if bare != 0 || places < 1500 || chip < 400 {
		t.Errorf("ink without the places and chip time %d; places %d, chip time %d", bare, places, chip)
	}
}

func mustImage(t *testing.T, d diploma.Diploma) image.Image {
	t.Helper()
	img, err := diploma.Image(d)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
