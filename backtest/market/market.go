// Package market is the backtest's recorded market history: monthly H100
// resale and rental prices and the 3-month T-bill rate from 2024-01 to
// 2026-06, plus the constants the backtest draws on (value by age, recovery by
// speed of sale, USD.AI's terms, the borrower model). Every figure in the
// embedded market.json names its source; months between two anchors are
// linear interpolations and are flagged as such.
//
// The values are float64: they are analysis input read outside the state
// machine, and the driver converts them to integers before anything reaches
// the chain.
package market

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

//go:embed market.json
var embedded []byte

// Series indexes the three monthly series (Point.Interpolated, Anchors).
type Series int

const (
	GPUPrice Series = iota
	RentPrice
	TBillRate
	numSeries
)

// String is the series' key in market.json.
func (s Series) String() string {
	switch s {
	case GPUPrice:
		return "gpu_price"
	case RentPrice:
		return "rent_price"
	case TBillRate:
		return "tbill_rate"
	}
	return fmt.Sprintf("series(%d)", int(s))
}

// Validation errors; Parse wraps them with the offending detail.
var (
	ErrUnknownSource = errors.New("unknown source")
	ErrGap           = errors.New("gap in the history")
	ErrNonPositive   = errors.New("value not positive")
	ErrBadMonth      = errors.New("bad month")
	ErrOrder         = errors.New("anchors out of order")
	ErrConstant      = errors.New("bad constant")
	ErrSource        = errors.New("bad source record")
)

// Point is one month of market input.
type Point struct {
	Month     time.Time // first day of the month, UTC
	GPUPrice  float64   // H100 resale, USD per GPU
	RentPrice float64   // H100 rental, USD per GPU-hour
	TBillRate float64   // 3-month T-bill, annual fraction (0.0522)
	// Interpolated[s] is true when series s has no anchor this month: the
	// value lies on the line between the neighbouring anchors, or repeats
	// the last anchor when the month comes after it.
	Interpolated [numSeries]bool
}

// Value returns the point's value of series s in the units of Point's fields.
func (p Point) Value(s Series) float64 {
	switch s {
	case GPUPrice:
		return p.GPUPrice
	case RentPrice:
		return p.RentPrice
	default:
		return p.TBillRate
	}
}

// Anchor is one sourced observation of a series. Value is in market.json's
// units (the T-bill rate in percent).
type Anchor struct {
	Month  time.Time
	Value  float64
	Source string
	Note   string
}

// Source is one publication the data cites.
type Source struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	URL    string `json:"url"`
	Date   string `json:"date"`
	States string `json:"states"` // what the source says that the data uses
}

// RecoveryTier is the share of the secondary price a sale of a given speed
// recovers.
type RecoveryTier struct {
	Name   string  `json:"name"`
	Days   int     `json:"days"`
	Factor float64 `json:"factor"`
}

// USDAITerms are USD.AI's published lending terms.
type USDAITerms struct {
	MaxLTVMin                  float64  `json:"max_ltv_min"`
	MaxLTVMax                  float64  `json:"max_ltv_max"`
	AmortizationMonths         int      `json:"amortization_months"`
	DepreciationPerYearMin     float64  `json:"depreciation_per_year_min"`
	DepreciationPerYearMax     float64  `json:"depreciation_per_year_max"`
	APRMin                     float64  `json:"apr_min"`
	PrincipalRepaidPerMonthMin float64  `json:"principal_repaid_per_month_min"`
	PrincipalRepaidPerMonthMax float64  `json:"principal_repaid_per_month_max"`
	Sources                    []string `json:"sources"`
	Note                       string   `json:"note"`
}

// BorrowerModel holds the distributions the backtest draws each borrower
// from: utilization, operating cost and realized rent, all uniform.
type BorrowerModel struct {
	GPUsPerTitle            int      `json:"gpus_per_title"`
	HoursPerMonth           float64  `json:"hours_per_month"`
	UtilizationMin          float64  `json:"utilization_min"`
	UtilizationMax          float64  `json:"utilization_max"`
	UtilizationMonthlyShock float64  `json:"utilization_monthly_shock"`
	OpexMin                 float64  `json:"opex_min"` // USD per GPU-hour
	OpexMax                 float64  `json:"opex_max"`
	PriceFactorMin          float64  `json:"price_factor_min"` // realized rent / market rent
	PriceFactorMax          float64  `json:"price_factor_max"`
	Sources                 []string `json:"sources"`
	Note                    string   `json:"note"`
}

// History is the loaded, validated market history.
type History struct {
	// ValueByAge[y] is the resale value of a y-year-old GPU as a share of new.
	ValueByAge []float64
	// ThirdYearResale is a third-year H100 system's resale share of new.
	ThirdYearResale float64
	// Recovery lists sale speeds from slowest (orderly) to fastest.
	Recovery []RecoveryTier
	// BreakEvenRent is the rental price (USD per GPU-hour) below which an
	// H100 does not recoup its capital cost.
	BreakEvenRent float64
	USDAI         USDAITerms
	Borrower      BorrowerModel
	// ConstantSources maps each constant above to the source ids it cites.
	ConstantSources map[string][]string

	months  []Point
	anchors [numSeries][]Anchor
	sources []Source
}

// Months returns the monthly points, first to last (a copy).
func (h History) Months() []Point { return append([]Point(nil), h.months...) }

// Sources returns the cited sources in file order (a copy).
func (h History) Sources() []Source { return append([]Source(nil), h.sources...) }

// Anchors returns series s's sourced observations in month order (a copy).
func (h History) Anchors(s Series) []Anchor { return append([]Anchor(nil), h.anchors[s]...) }

// Source looks a source up by id.
func (h History) Source(id string) (Source, bool) {
	for _, s := range h.sources {
		if s.ID == id {
			return s, true
		}
	}
	return Source{}, false
}

// RecoveryFactor is the recovery of the named sale speed ("auction").
func (h History) RecoveryFactor(name string) (float64, bool) {
	for _, t := range h.Recovery {
		if t.Name == name {
			return t.Factor, true
		}
	}
	return 0, false
}

// Load parses and validates the embedded market.json.
func Load() (History, error) { return Parse(embedded) }

type fileAnchor struct {
	Month  string  `json:"month"`
	Value  float64 `json:"value"`
	Source string  `json:"source"`
	Note   string  `json:"note"`
}

type fileSeries struct {
	Unit    string       `json:"unit"`
	Anchors []fileAnchor `json:"anchors"`
}

type sourced struct {
	Value  float64 `json:"value"`
	Source string  `json:"source"`
	Note   string  `json:"note"`
}

type file struct {
	About  string                `json:"about"`
	Start  string                `json:"start"`
	End    string                `json:"end"`
	Series map[string]fileSeries `json:"series"`
	Age    struct {
		Factors []float64 `json:"factors"`
		Source  string    `json:"source"`
		Note    string    `json:"note"`
	} `json:"value_by_age"`
	ThirdYear sourced `json:"third_year_resale"`
	Recovery  struct {
		Tiers  []RecoveryTier `json:"tiers"`
		Source string         `json:"source"`
		Note   string         `json:"note"`
	} `json:"recovery_by_speed"`
	BreakEven sourced       `json:"break_even_rent"`
	USDAI     USDAITerms    `json:"usdai_terms"`
	Borrower  BorrowerModel `json:"borrower_model"`
	Sources   []Source      `json:"sources"`
}

// Parse decodes and validates a market file: every anchor and constant cites
// a known source, anchors are positive and in month order, each series has
// an anchor at or before the first month (a month before the first anchor
// could only be guessed), and the constants are in range.
func Parse(data []byte) (History, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return History{}, fmt.Errorf("market: decode: %w", err)
	}
	var h History
	known := map[string]bool{}
	for _, s := range f.Sources {
		if s.ID == "" || s.Title == "" || s.States == "" || s.Date == "" {
			return History{}, fmt.Errorf("%w: %q needs id, title, date and what it states", ErrSource, s.ID)
		}
		if known[s.ID] {
			return History{}, fmt.Errorf("%w: duplicate id %q", ErrSource, s.ID)
		}
		known[s.ID] = true
	}
	h.sources = append([]Source(nil), f.Sources...)
	cite := func(what string, ids ...string) error {
		if len(ids) == 0 {
			return fmt.Errorf("%w: %s cites no source", ErrUnknownSource, what)
		}
		for _, id := range ids {
			if !known[id] {
				return fmt.Errorf("%w: %s cites %q", ErrUnknownSource, what, id)
			}
		}
		return nil
	}

	start, err := parseMonth(f.Start)
	if err != nil {
		return History{}, fmt.Errorf("start: %w", err)
	}
	end, err := parseMonth(f.End)
	if err != nil {
		return History{}, fmt.Errorf("end: %w", err)
	}
	if end.Before(start) {
		return History{}, fmt.Errorf("%w: end %s before start %s", ErrBadMonth, f.End, f.Start)
	}
	if len(f.Series) != int(numSeries) {
		return History{}, fmt.Errorf("%w: want series gpu_price, rent_price, tbill_rate, have %d", ErrGap, len(f.Series))
	}
	for s := Series(0); s < numSeries; s++ {
		fs, ok := f.Series[s.String()]
		if !ok {
			return History{}, fmt.Errorf("%w: series %s missing", ErrGap, s)
		}
		for i, a := range fs.Anchors {
			m, err := parseMonth(a.Month)
			if err != nil {
				return History{}, fmt.Errorf("%s anchor %d: %w", s, i, err)
			}
			if !(a.Value > 0) {
				return History{}, fmt.Errorf("%w: %s %s = %v", ErrNonPositive, s, a.Month, a.Value)
			}
			if err := cite(fmt.Sprintf("%s %s", s, a.Month), a.Source); err != nil {
				return History{}, err
			}
			if i > 0 && !m.After(h.anchors[s][i-1].Month) {
				return History{}, fmt.Errorf("%w: %s %s after %s", ErrOrder, s, a.Month, fs.Anchors[i-1].Month)
			}
			h.anchors[s] = append(h.anchors[s], Anchor{Month: m, Value: a.Value, Source: a.Source, Note: a.Note})
		}
		if len(h.anchors[s]) == 0 || h.anchors[s][0].Month.After(start) {
			return History{}, fmt.Errorf("%w: %s has no anchor at or before %s", ErrGap, s, f.Start)
		}
	}

	for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
		p := Point{Month: m}
		for s := Series(0); s < numSeries; s++ {
			v, interp := interpolate(h.anchors[s], m)
			p.Interpolated[s] = interp
			switch s {
			case GPUPrice:
				p.GPUPrice = v
			case RentPrice:
				p.RentPrice = v
			case TBillRate:
				p.TBillRate = v / 100
			}
		}
		h.months = append(h.months, p)
	}

	if err := h.constants(f, cite); err != nil {
		return History{}, err
	}
	return h, nil
}

// constants validates and copies the file's constants into h.
func (h *History) constants(f file, cite func(string, ...string) error) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrConstant}, args...)...)
	}
	if len(f.Age.Factors) == 0 || f.Age.Factors[0] != 1 {
		return bad("value_by_age must start at 1.00 for a new GPU")
	}
	for i := 1; i < len(f.Age.Factors); i++ {
		if !(f.Age.Factors[i] > 0) || f.Age.Factors[i] > f.Age.Factors[i-1] {
			return bad("value_by_age year %d = %v must be positive and not above year %d", i, f.Age.Factors[i], i-1)
		}
	}
	if !inUnit(f.ThirdYear.Value) {
		return bad("third_year_resale %v not in (0, 1]", f.ThirdYear.Value)
	}
	if len(f.Recovery.Tiers) == 0 {
		return bad("recovery_by_speed has no tiers")
	}
	for i, t := range f.Recovery.Tiers {
		if t.Name == "" || t.Days <= 0 || !inUnit(t.Factor) {
			return bad("recovery tier %q: days %d factor %v", t.Name, t.Days, t.Factor)
		}
		// Faster sales never recover more: the tiers run slowest first.
		if i > 0 && (t.Days >= f.Recovery.Tiers[i-1].Days || t.Factor > f.Recovery.Tiers[i-1].Factor) {
			return bad("recovery tier %q must be faster and recover no more than %q", t.Name, f.Recovery.Tiers[i-1].Name)
		}
	}
	if !(f.BreakEven.Value > 0) {
		return bad("break_even_rent %v not positive", f.BreakEven.Value)
	}
	u := f.USDAI
	if !inUnit(u.MaxLTVMin) || !inUnit(u.MaxLTVMax) || u.MaxLTVMin > u.MaxLTVMax ||
		u.AmortizationMonths <= 0 ||
		!inUnit(u.DepreciationPerYearMin) || !inUnit(u.DepreciationPerYearMax) || u.DepreciationPerYearMin > u.DepreciationPerYearMax ||
		!(u.APRMin > 0) ||
		!inUnit(u.PrincipalRepaidPerMonthMin) || !inUnit(u.PrincipalRepaidPerMonthMax) || u.PrincipalRepaidPerMonthMin > u.PrincipalRepaidPerMonthMax {
		return bad("usdai_terms out of range: %+v", u)
	}
	b := f.Borrower
	if b.GPUsPerTitle <= 0 || !(b.HoursPerMonth > 0) ||
		!inUnit(b.UtilizationMin) || !inUnit(b.UtilizationMax) || b.UtilizationMin > b.UtilizationMax ||
		b.UtilizationMonthlyShock < 0 || b.UtilizationMonthlyShock >= 1 ||
		!(b.OpexMin > 0) || b.OpexMin > b.OpexMax ||
		!(b.PriceFactorMin > 0) || b.PriceFactorMin > b.PriceFactorMax {
		return bad("borrower_model out of range: %+v", b)
	}
	citations := map[string][]string{
		"value_by_age":      {f.Age.Source},
		"third_year_resale": {f.ThirdYear.Source},
		"recovery_by_speed": {f.Recovery.Source},
		"break_even_rent":   {f.BreakEven.Source},
		"usdai_terms":       u.Sources,
		"borrower_model":    b.Sources,
	}
	for _, what := range []string{"value_by_age", "third_year_resale", "recovery_by_speed", "break_even_rent", "usdai_terms", "borrower_model"} {
		if err := cite(what, citations[what]...); err != nil {
			return err
		}
	}
	h.ValueByAge = append([]float64(nil), f.Age.Factors...)
	h.ThirdYearResale = f.ThirdYear.Value
	h.Recovery = append([]RecoveryTier(nil), f.Recovery.Tiers...)
	h.BreakEvenRent = f.BreakEven.Value
	h.USDAI = u
	h.Borrower = b
	h.ConstantSources = citations
	return nil
}

// interpolate returns the series' value at month m and whether it is an
// interpolation. anchors are sorted and the first is at or before m.
func interpolate(anchors []Anchor, m time.Time) (float64, bool) {
	for i, a := range anchors {
		if a.Month.Equal(m) {
			return a.Value, false
		}
		if a.Month.After(m) {
			prev := anchors[i-1]
			span := float64(monthIndex(a.Month) - monthIndex(prev.Month))
			t := float64(monthIndex(m)-monthIndex(prev.Month)) / span
			return prev.Value + t*(a.Value-prev.Value), true
		}
	}
	// After the last anchor: hold its value (flagged), never extrapolate a trend.
	return anchors[len(anchors)-1].Value, true
}

func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func parseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q (want YYYY-MM)", ErrBadMonth, s)
	}
	return t.UTC(), nil
}

func inUnit(x float64) bool { return x > 0 && x <= 1 }
