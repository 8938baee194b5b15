package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// The committed artwork must be what this program draws, so the SVG and the PNGs
// never drift apart. Run `go run ./build/icon` to refresh them.
func TestCommittedArtworkIsCurrent(t *testing.T) {
	files, err := artwork()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", "assets", name))
		if err != nil {
			t.Fatalf("%s: %v (run `go run ./build/icon`)", name, err)
		}
		if filepath.Ext(name) != ".png" {
			if !bytes.Equal(got, want) {
				t.Errorf("assets/%s is out of date; run `go run ./build/icon`", name)
			}
			continue
		}
		// Compare pixels, not bytes: another Go release may compress differently.
		gotImg, err := png.Decode(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("assets/%s: %v", name, err)
		}
		wantImg, _ := png.Decode(bytes.NewReader(want))
		if !samePixels(gotImg, wantImg) {
			t.Errorf("assets/%s is out of date; run `go run ./build/icon`", name)
		}
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

func TestRenderDrawsTheDesign(t *testing.T) {
	img := render(256)
	cases := []struct {
		name string
		x, y int
		want [4]uint8 // straight (non-premultiplied) RGBA
	}{
		{"transparent outside the rounded corner", 2, 2, [4]uint8{0, 0, 0, 0}},
		{"blue tile", 20, 128, [4]uint8{0x2d, 0x8c, 0xff, 0xff}},
		{"white camera body", 100, 128, [4]uint8{0xff, 0xff, 0xff, 0xff}},
		{"white lens", 200, 128, [4]uint8{0xff, 0xff, 0xff, 0xff}},
		{"blue gap between body and lens", 166, 128, [4]uint8{0x2d, 0x8c, 0xff, 0xff}},
		{"blue above the camera", 128, 40, [4]uint8{0x2d, 0x8c, 0xff, 0xff}},
	}
	for _, c := range cases {
		p := img.NRGBAAt(c.x, c.y)
		if got := [4]uint8{p.R, p.G, p.B, p.A}; got != c.want {
			t.Errorf("%s: pixel (%d,%d) = %v, want %v", c.name, c.x, c.y, got, c.want)
		}
	}
	// Edges are anti-aliased: some pixel on the tile's rounded corner is partly covered.
	partial := false
	for i := range 30 {
		if a := img.NRGBAAt(i, i).A; a > 0 && a < 255 {
			partial = true
		}
	}
	if !partial {
		t.Error("the tile's corner has no partly covered pixels; anti-aliasing is missing")
	}
}

func TestSVGMatchesGeometry(t *testing.T) {
	s := string(svg())
	for _, want := range []string{
		`viewBox="0 0 256 256"`,
		`points="56,56 200,56 200,200 56,200" fill="#2d8cff"`,
		`stroke-width="112"`,
		`points="176,120 206,100 206,156 176,136" fill="#ffffff"`,
	} {
		if !bytes.Contains([]byte(s), []byte(want)) {
			t.Errorf("svg lacks %q:\n%s", want, s)
		}
	}
}
