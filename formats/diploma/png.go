package diploma

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// PreviewScale is the PNG preview's pixels per millimetre: 4 gives
// 1188×840, sharp on a phone and about 60 KB.
const PreviewScale = 4

var (
	parseOnce          sync.Once
	regular, bold      *opentype.Font
	errParse           error
	previewW, previewH = int(pageW * PreviewScale), int(pageH * PreviewScale)
)

func fonts() (*opentype.Font, *opentype.Font, error) {
	parseOnce.Do(func() {
		if regular, errParse = opentype.Parse(regularTTF); errParse != nil {
			return
		}
		bold, errParse = opentype.Parse(boldTTF)
	})
	return regular, bold, errParse
}

func (c rgb) color() color.RGBA { return color.RGBA{c.r, c.g, c.b, 0xff} }

// PNG draws the diploma's preview: the same page as the PDF, as an
// image PreviewScale pixels per millimetre.
func PNG(d Diploma) ([]byte, error) {
	img, err := Image(d)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("diploma png: %w", err)
	}
	return buf.Bytes(), nil
}

// Image draws the diploma's preview as an image.
func Image(d Diploma) (*image.RGBA, error) {
	reg, bld, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("diploma fonts: %w", err)
	}
	img := image.NewRGBA(image.Rect(0, 0, previewW, previewH))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	px := func(mm float64) int { return int(mm*PreviewScale + 0.5) }
	fill := func(x, y, w, h float64, c rgb) {
		r := image.Rect(px(x), px(y), px(x+w), px(y+h))
		draw.Draw(img, r, image.NewUniform(c.color()), image.Point{}, draw.Src)
	}
	l, err := d.layout()
	if err != nil {
		return nil, err
	}
	fill(frames[1].x, l.band.y, frames[1].w, l.band.h, pale)
	for _, f := range frames {
		// A frame is four bars centred on its outline.
		half := f.width / 2
		fill(f.x-half, f.y-half, f.w+f.width, f.width, blue)
		fill(f.x-half, f.y+f.h-half, f.w+f.width, f.width, blue)
		fill(f.x-half, f.y-half, f.width, f.h+f.width, blue)
		fill(f.x+f.w-half, f.y-half, f.width, f.h+f.width, blue)
	}
	for _, l := range l.lines {
		f := reg
		if l.bold {
			f = bld
		}
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: l.size, DPI: 25.4 * PreviewScale, Hinting: font.HintingFull})
		if err != nil {
			return nil, fmt.Errorf("diploma face: %w", err)
		}
		width := font.MeasureString(face, l.text)
		dr := &font.Drawer{Dst: img, Src: image.NewUniform(l.color.color()), Face: face,
			Dot: fixed.Point26_6{X: (fixed.I(previewW) - width) / 2, Y: fixed.I(px(l.y))}}
		dr.DrawString(l.text)
		face.Close()
	}
	return img, nil
}
