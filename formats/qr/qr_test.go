package qr_test

import (
	"bytes"
	"image/png"
	"testing"

	rscqr "rsc.io/qr"

	"github.com/runforautism/rfabot/formats/qr"
)

// TestPNGHasTheModules reads the modules back from the pixels: Scale
// pixels a module, after a four-module white border.
func TestPNGHasTheModules(t *testing.T) {
	const text = "https://bot.example.kz/admin/checkin/RFA-7K2Q"
	b, err := qr.PNG(text)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want, err := rscqr.Encode(text, rscqr.M)
	if err != nil {
		t.Fatal(err)
	}
	const border = 4
	if img.Bounds().Dx() != (want.Size+2*border)*qr.Scale {
		t.Fatalf("image %v for a %d-module code", img.Bounds(), want.Size)
	}
	for y := range want.Size {
		for x := range want.Size {
			cr, _, _, _ := img.At((x+border)*qr.Scale+qr.Scale/2, (y+border)*qr.Scale+qr.Scale/2).RGBA()
			if black := cr < 0x8000; black != want.Black(x, y) {
				t.Fatalf("module (%d,%d): black %v, want %v", x, y, black, want.Black(x, y))
			}
		}
	}
}
