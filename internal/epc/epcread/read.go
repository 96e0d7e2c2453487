// Package epcread reads back what a page shows as an EPC QR code, for tests: it draws the SVG
// that package epc writes into an image and decodes that with a QR reader (gozxing), so a test
// checks what a banking app would scan, not the text the code was made from.
package epcread

import (
	"fmt"
	"image"
	"image/color"
	"regexp"
	"strconv"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

var (
	reBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	reRun = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`)
)

// Decode is the text of the QR code an SVG of package epc draws.
func Decode(svg string) (string, error) {
	box := reBox.FindStringSubmatch(svg)
	if box == nil {
		return "", fmt.Errorf("epcread: no viewBox in %.80q", svg)
	}
	n, _ := strconv.Atoi(box[1])
	const scale = 6
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, m := range reRun.FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_CHARACTER_SET: "UTF-8"})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
