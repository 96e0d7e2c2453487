package portal

import "testing"

// A picture is sent only as the image its first bytes say it is; anything else, an SVG or HTML
// among them, is no picture.
func TestImageType(t *testing.T) {
	for in, want := range map[string]string{
		"\x89PNG\r\n\x1a\n\x00\x00":           "image/png",
		"\xff\xd8\xff\xe0\x00\x10JFIF":        "image/jpeg",
		"GIF89a\x01\x00":                      "image/gif",
		"RIFF\x10\x00\x00\x00WEBP":            "image/webp",
		"RIFF\x10\x00\x00\x00WAVE":            "",
		"<svg xmlns='http://www.w3.org/2000'": "",
		"<html><script>alert(1)</script>":     "",
		"\x89PN":                              "",
		"":                                    "",
	} {
		if got := imageType([]byte(in)); got != want {
			t.Errorf("imageType(%q) = %q, want %q", in, got, want)
		}
	}
}
