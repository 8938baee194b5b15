package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Budget kinds: how a measured value is compared with its limit.
const (
	atMost   = "<="
	atLeast  = ">="
	lessThan = "<"
	exactly  = "="
	noBudget = ""
)

// Marks printed next to each figure.
const (
	markOK      = "✓ OK"
	markOver    = "✗ OVER"
	markReport  = "· report"
	markMissing = "? not measured"
)

// figure is one row of the table and one entry of bench.json.
type figure struct {
	Section string   `json:"section"`
	Name    string   `json:"name"`
	Value   *float64 `json:"value"` // nil: not measured
	Unit    string   `json:"unit,omitempty"`
	Shown   string   `json:"shown"` // the value as printed
	Budget  string   `json:"budget,omitempty"`
	Kind    string   `json:"budget_kind,omitempty"`
	Limit   *float64 `json:"budget_limit,omitempty"`
	Status  string   `json:"status"` // OK, OVER, report, not measured
	Note    string   `json:"note,omitempty"`
	Detail  any      `json:"detail,omitempty"`
}

// report collects figures in the order they are measured.
type report struct {
	Started  time.Time `json:"started"`
	Seconds  float64   `json:"seconds"`
	Bundle   string    `json:"bundle"`
	Machine  string    `json:"machine"`
	Figures  []*figure `json:"figures"`
	sections []string
}

func (r *report) add(f *figure) *figure {
	if !containsString(r.sections, f.Section) {
		r.sections = append(r.sections, f.Section)
	}
	switch {
	case f.Value == nil:
		f.Status = "not measured"
		if f.Shown == "" {
			f.Shown = "—"
		}
	case f.Kind == noBudget || f.Limit == nil:
		f.Status = "report"
	case within(*f.Value, f.Kind, *f.Limit):
		f.Status = "OK"
	default:
		f.Status = "OVER"
	}
	if f.Shown == "" && f.Value != nil {
		f.Shown = formatNumber(*f.Value) + unitSuffix(f.Unit)
	}
	r.Figures = append(r.Figures, f)
	return f
}

// measured adds a figure with a value and an optional budget.
func (r *report) measured(section, name string, v float64, unit, kind string, limit float64, note string) *figure {
	f := &figure{Section: section, Name: name, Value: &v, Unit: unit, Kind: kind, Note: note}
	if kind != noBudget {
		f.Limit = &limit
		f.Budget = kind + " " + formatNumber(limit) + unitSuffix(unit)
		if kind == exactly {
			f.Budget = formatNumber(limit) + unitSuffix(unit)
		}
	}
	return r.add(f)
}

// missing adds a figure that could not be measured, with the reason.
func (r *report) missing(section, name, budget, why string) *figure {
	return r.add(&figure{Section: section, Name: name, Budget: budget, Note: why})
}

func within(v float64, kind string, limit float64) bool {
	switch kind {
	case atMost:
		return v <= limit
	case atLeast:
		return v >= limit
	case lessThan:
		return v < limit
	case exactly:
		return math.Abs(v-limit) < 1e-9
	}
	return true
}

func unitSuffix(unit string) string {
	if unit == "" {
		return ""
	}
	return " " + unit
}

// formatNumber prints integers plainly, others with 3 significant digits
// (thousands separated for readability).
func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return groupThousands(fmt.Sprintf("%.0f", v))
	}
	switch a := math.Abs(v); {
	case a >= 1000:
		return groupThousands(fmt.Sprintf("%.0f", v))
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mark(status string) string {
	switch status {
	case "OK":
		return markOK
	case "OVER":
		return markOver
	case "report":
		return markReport
	}
	return markMissing
}

// print writes the table: one block per section, notes indented below rows.
func (r *report) print(w io.Writer) {
	nameW, valW, budW := len("figure"), len("measured"), len("budget")
	for _, f := range r.Figures {
		nameW = max(nameW, utf8.RuneCountInString(f.Name))
		valW = max(valW, utf8.RuneCountInString(f.Shown))
		budW = max(budW, utf8.RuneCountInString(f.Budget))
	}
	nameW = min(nameW, 62)
	row := func(a, b, c, d string) {
		fmt.Fprintf(w, "  %s  %s  %s  %s\n", pad(a, nameW), padLeft(b, valW), pad(c, budW), d)
	}
	fmt.Fprintf(w, "\nZoom for Mattermost: bench (%s, %.0f s)\n", r.Machine, r.Seconds)
	fmt.Fprintf(w, "bundle %s\n", r.Bundle)
	for _, s := range r.sections {
		fmt.Fprintf(w, "\n%s\n", s)
		row("figure", "measured", "budget", "")
		row(strings.Repeat("-", nameW), strings.Repeat("-", valW), strings.Repeat("-", budW), "--------")
		for _, f := range r.Figures {
			if f.Section != s {
				continue
			}
			row(f.Name, f.Shown, f.Budget, mark(f.Status))
			for _, line := range wrap(f.Note, 100) {
				fmt.Fprintf(w, "      %s\n", line)
			}
		}
	}
	counts := map[string]int{}
	for _, f := range r.Figures {
		counts[f.Status]++
	}
	var parts []string
	for _, k := range []string{"OK", "OVER", "report", "not measured"} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	fmt.Fprintf(w, "\n%d figures: %s\n", len(r.Figures), strings.Join(parts, ", "))
}

func pad(s string, n int) string {
	if c := utf8.RuneCountInString(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s
}

func padLeft(s string, n int) string {
	if c := utf8.RuneCountInString(s); c < n {
		return strings.Repeat(" ", n-c) + s
	}
	return s
}

// wrap breaks a note into lines of at most width runes, at spaces.
func wrap(s string, width int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		var line string
		for _, word := range strings.Fields(para) {
			if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// writeJSON saves the report (creating its directory).
func (r *report) writeJSON(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // budgets read "<= 8", not "\u003c= 8"
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// breakdown renders call counts as "KVGet 2, GetPost 1" (most first).
func breakdown(counts map[string]float64) string {
	type kv struct {
		k string
		v float64
	}
	var list []kv
	for k, v := range counts {
		if v > 0 {
			list = append(list, kv{k, v})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].v != list[j].v {
			return list[i].v > list[j].v
		}
		return list[i].k < list[j].k
	})
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = e.k + " " + formatNumber(e.v)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
