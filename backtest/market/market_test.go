package market

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"
)

func month(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }

// shipped returns the embedded file as a generic tree a test can edit.
func shipped(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(embedded, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func series(m map[string]any, name string) map[string]any {
	return m["series"].(map[string]any)[name].(map[string]any)
}

func setAnchors(m map[string]any, name string, anchors ...map[string]any) {
	list := make([]any, len(anchors))
	for i, a := range anchors {
		list[i] = a
	}
	series(m, name)["anchors"] = list
}

func anchor(month string, value float64, source string) map[string]any {
	return map[string]any{"month": month, "value": value, "source": source, "note": "test"}
}

func TestShippedFileLoads(t *testing.T) {
	h, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	pts := h.Months()
	if len(pts) != 30 {
		t.Fatalf("months = %d, want 30", len(pts))
	}
	if !pts[0].Month.Equal(month(2024, time.January)) || !pts[29].Month.Equal(month(2026, time.June)) {
		t.Fatalf("range %s..%s", pts[0].Month, pts[29].Month)
	}
	for i, p := range pts {
		if i > 0 && !p.Month.Equal(pts[i-1].Month.AddDate(0, 1, 0)) {
			t.Fatalf("month %d (%s) does not follow %s", i, p.Month, pts[i-1].Month)
		}
		if !(p.GPUPrice > 0 && p.RentPrice > 0 && p.TBillRate > 0 && p.TBillRate < 0.2) {
			t.Fatalf("%s: implausible point %+v", p.Month.Format("2006-01"), p)
		}
	}
	// Anchored figures come through exactly; the T-bill rate as a fraction.
	byMonth := map[string]Point{}
	for _, p := range pts {
		byMonth[p.Month.Format("2006-01")] = p
	}
	checks := []struct {
		month  string
		s      Series
		want   float64
		interp bool
	}{
		{"2024-10", RentPrice, 2.99, false},
		{"2025-10", RentPrice, 1.70, false},
		{"2026-03", RentPrice, 2.35, false},
		{"2026-05", RentPrice, 2.95, false},
		{"2026-06", RentPrice, 2.95, true}, // held after the last anchor
		{"2024-10", TBillRate, 0.0451, false},
		{"2025-02", TBillRate, 0.0422, false},
		{"2026-06", GPUPrice, 20000, false},
	}
	for _, c := range checks {
		p := byMonth[c.month]
		if got := p.Value(c.s); math.Abs(got-c.want) > 1e-9 || p.Interpolated[c.s] != c.interp {
			t.Errorf("%s %s = %v (interpolated %v), want %v (%v)", c.month, c.s, got, p.Interpolated[c.s], c.want, c.interp)
		}
	}
	if got := h.ValueByAge; len(got) != 5 || got[1] != 0.78 || got[4] != 0.35 {
		t.Errorf("value by age %v", got)
	}
	if f, ok := h.RecoveryFactor("auction"); !ok || f != 0.65 {
		t.Errorf("auction recovery %v %v", f, ok)
	}
	if h.BreakEvenRent != 1.65 || h.USDAI.AmortizationMonths != 36 || h.USDAI.APRMin != 0.12 {
		t.Errorf("constants %v %+v", h.BreakEvenRent, h.USDAI)
	}
	if h.Borrower.GPUsPerTitle != 8 || h.Borrower.UtilizationMin != 0.60 {
		t.Errorf("borrower model %+v", h.Borrower)
	}
	if _, ok := h.Source("fred-tb3ms"); !ok {
		t.Error("TB3MS source missing")
	}
	for _, s := range h.Sources() {
		if s.URL == "" && s.ID != "issue21" {
			t.Errorf("source %s has no URL", s.ID)
		}
	}
}

func TestInterpolation(t *testing.T) {
	m := shipped(t)
	m["start"], m["end"] = "2024-01", "2024-06"
	setAnchors(m, "gpu_price", anchor("2024-01", 30000, "aiwiki-h100"), anchor("2024-04", 24000, "runlocalai-b200"))
	setAnchors(m, "rent_price", anchor("2023-11", 3.00, "aimultiple-index"), anchor("2024-03", 2.00, "aimultiple-index"), anchor("2024-06", 2.60, "aimultiple-index"))
	setAnchors(m, "tbill_rate", anchor("2024-01", 5.00, "fred-tb3ms"))
	h, err := Parse(encode(t, m))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		gpu, rent, tbill float64
		interp           [3]bool
	}{
		{30000, 2.50, 0.05, [3]bool{false, true, false}},
		{28000, 2.25, 0.05, [3]bool{true, true, true}},
		{26000, 2.00, 0.05, [3]bool{true, false, true}},
		{24000, 2.20, 0.05, [3]bool{false, true, true}},
		{24000, 2.40, 0.05, [3]bool{true, true, true}}, // gpu held after its last anchor
		{24000, 2.60, 0.05, [3]bool{true, false, true}},
	}
	pts := h.Months()
	if len(pts) != len(want) {
		t.Fatalf("months = %d", len(pts))
	}
	for i, w := range want {
		p := pts[i]
		if math.Abs(p.GPUPrice-w.gpu) > 1e-9 || math.Abs(p.RentPrice-w.rent) > 1e-9 || math.Abs(p.TBillRate-w.tbill) > 1e-12 {
			t.Errorf("%s: got %v %v %v, want %v %v %v", p.Month.Format("2006-01"), p.GPUPrice, p.RentPrice, p.TBillRate, w.gpu, w.rent, w.tbill)
		}
		if p.Interpolated != w.interp {
			t.Errorf("%s: interpolated %v, want %v", p.Month.Format("2006-01"), p.Interpolated, w.interp)
		}
	}
}

func TestValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(m map[string]any)
		want error
	}{
		{"unknown anchor source", func(m map[string]any) {
			setAnchors(m, "tbill_rate", anchor("2024-01", 5.2, "nobody"))
		}, ErrUnknownSource},
		{"unknown constant source", func(m map[string]any) {
			m["break_even_rent"].(map[string]any)["source"] = "nobody"
		}, ErrUnknownSource},
		{"unknown borrower-model source", func(m map[string]any) {
			m["borrower_model"].(map[string]any)["sources"] = []any{"runlocalai-b200", "nobody"}
		}, ErrUnknownSource},
		{"series starts after the first month", func(m map[string]any) {
			setAnchors(m, "gpu_price", anchor("2024-02", 30000, "aiwiki-h100"))
		}, ErrGap},
		{"series without anchors", func(m map[string]any) {
			setAnchors(m, "rent_price")
		}, ErrGap},
		{"series missing", func(m map[string]any) {
			delete(m["series"].(map[string]any), "tbill_rate")
		}, ErrGap},
		{"zero price", func(m map[string]any) {
			setAnchors(m, "gpu_price", anchor("2024-01", 0, "aiwiki-h100"))
		}, ErrNonPositive},
		{"negative rate", func(m map[string]any) {
			setAnchors(m, "tbill_rate", anchor("2024-01", 5, "fred-tb3ms"), anchor("2024-05", -1, "fred-tb3ms"))
		}, ErrNonPositive},
		{"anchors out of order", func(m map[string]any) {
			setAnchors(m, "tbill_rate", anchor("2024-01", 5, "fred-tb3ms"), anchor("2024-01", 4, "fred-tb3ms"))
		}, ErrOrder},
		{"bad month", func(m map[string]any) {
			setAnchors(m, "tbill_rate", anchor("2024-13", 5, "fred-tb3ms"))
		}, ErrBadMonth},
		{"end before start", func(m map[string]any) { m["end"] = "2023-12" }, ErrBadMonth},
		{"value by age rising", func(m map[string]any) {
			m["value_by_age"].(map[string]any)["factors"] = []any{1.0, 0.6, 0.7}
		}, ErrConstant},
		{"faster sale recovers more", func(m map[string]any) {
			tiers := m["recovery_by_speed"].(map[string]any)["tiers"].([]any)
			tiers[3].(map[string]any)["factor"] = 0.9
		}, ErrConstant},
		{"utilization above 1", func(m map[string]any) {
			m["borrower_model"].(map[string]any)["utilization_max"] = 1.2
		}, ErrConstant},
		{"duplicate source id", func(m map[string]any) {
			srcs := m["sources"].([]any)
			m["sources"] = append(srcs, srcs[0])
		}, ErrSource},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := shipped(t)
			c.edit(m)
			_, err := Parse(encode(t, m))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	if _, err := Parse([]byte(`{"start":"2024-01","surprise":1}`)); err == nil {
		t.Fatal("unknown field accepted")
	}
}
