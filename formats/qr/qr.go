// Package qr draws a QR code as a PNG: the check-in code a volunteer
// scans at the kit desk. Encoding is rsc.io/qr's, at error correction
// level M (15% of the code may be damaged), with a white border of four
// modules as the standard asks.
package qr

import (
	"fmt"

	"rsc.io/qr"
)

// Scale is the pixels per module: about 300 pixels for a dashboard
// URL, sharp on a phone screen and on paper.
const Scale = 8

// PNG is the QR code of text as a PNG image.
func PNG(text string) ([]byte, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	c.Scale = Scale
	return c.PNG(), nil
}
