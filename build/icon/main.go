// Command icon draws the plugin's artwork from one geometry and writes it to assets/:
//
//	profile.svg       the manifest icon and the slash command icon
//	profile.png       256x256, the bot's profile picture
//	app-bar-icon.png  48x48, the app bar icon
//
// The design is a white video camera in a rounded blue square. Run it from the
// repository root with `go run ./build/icon` after changing the geometry below.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// The design lives on a 256x256 canvas.
const canvas = 256

var (
	blue  = color.RGBA{R: 0x2d, G: 0x8c, B: 0xff, A: 0xff}
	white = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)

// shape is a region of the canvas: a convex core polygon grown by radius in every
// direction (a Minkowski sum with a disc). A rectangle grown this way is a rounded
// rectangle; SVG draws the same thing as a polygon with a round-joined stroke.
type shape struct {
	core   []point
	radius float64
	color  color.RGBA
}

type point struct{ x, y float64 }

// rect returns a rounded rectangle with outer bounds (x0,y0)-(x1,y1) and corner radius r.
func rect(x0, y0, x1, y1, r float64, c color.RGBA) shape {
	return shape{
		core:   []point{{x0 + r, y0 + r}, {x1 - r, y0 + r}, {x1 - r, y1 - r}, {x0 + r, y1 - r}},
		radius: r,
		color:  c,
	}
}

// design is the icon, back to front.
var design = []shape{
	rect(0, 0, 256, 256, 56, blue),    // the tile
	rect(40, 80, 160, 176, 22, white), // the camera body
	{ // the lens hood, a trapezoid opening to the right
		core:   []point{{176, 120}, {206, 100}, {206, 156}, {176, 136}},
		radius: 8,
		color:  white,
	},
}

// contains reports whether p lies in the shape: inside the core, or within radius of it.
func (s shape) contains(p point) bool {
	inside := true
	minDist := math.Inf(1)
	n := len(s.core)
	for i := range n {
		a, b := s.core[i], s.core[(i+1)%n]
		// The core is clockwise in screen coordinates (y down), so inside is to the right.
		if (b.x-a.x)*(p.y-a.y)-(b.y-a.y)*(p.x-a.x) < 0 {
			inside = false
		}
		minDist = math.Min(minDist, segmentDistance(p, a, b))
	}
	return inside || minDist <= s.radius
}

func segmentDistance(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.x-(a.x+t*dx), p.y-(a.y+t*dy))
}

// render draws the design at size x size pixels, anti-aliased by sampling each pixel
// on a 4x4 grid.
func render(size int) *image.NRGBA {
	const grid = 4
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := float64(canvas) / float64(size)
	for _, s := range design {
		mask := image.NewAlpha(img.Bounds())
		for y := range size {
			for x := range size {
				hits := 0
				for sy := range grid {
					for sx := range grid {
						p := point{
							x: (float64(x) + (float64(sx)+0.5)/grid) * scale,
							y: (float64(y) + (float64(sy)+0.5)/grid) * scale,
						}
						if s.contains(p) {
							hits++
						}
					}
				}
				mask.SetAlpha(x, y, color.Alpha{A: uint8(hits * 255 / (grid * grid))})
			}
		}
		draw.DrawMask(img, img.Bounds(), image.NewUniform(s.color), image.Point{}, mask, image.Point{}, draw.Over)
	}
	return img
}

// svg writes the same design as an SVG document.
func svg() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", canvas, canvas, canvas, canvas)
	for _, s := range design {
		fill := fmt.Sprintf("#%02x%02x%02x", s.color.R, s.color.G, s.color.B)
		b.WriteString("  <polygon points=\"")
		for i, p := range s.core {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%g,%g", p.x, p.y)
		}
		fmt.Fprintf(&b, "\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%g\" stroke-linejoin=\"round\"/>\n", fill, fill, 2*s.radius)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// artwork returns every file this program writes, keyed by file name.
func artwork() (map[string][]byte, error) {
	files := map[string][]byte{"profile.svg": svg()}
	for name, size := range map[string]int{"profile.png": 256, "app-bar-icon.png": 48} {
		var b bytes.Buffer
		if err := png.Encode(&b, render(size)); err != nil {
			return nil, err
		}
		files[name] = b.Bytes()
	}
	return files, nil
}

func main() {
	out := flag.String("out", "assets", "directory to write the artwork into")
	flag.Parse()
	files, err := artwork()
	if err != nil {
		fmt.Fprintln(os.Stderr, "icon:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "icon:", err)
		os.Exit(1)
	}
	for name, data := range files {
		path := filepath.Join(*out, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "icon:", err)
			os.Exit(1)
		}
		fmt.Println("wrote", path)
	}
}
