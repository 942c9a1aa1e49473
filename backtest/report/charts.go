package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/infrafi/infrafi/backtest/market"
)

// Chart sizes: 8 inches wide at 120 dpi (960 px), readable when the
// markdown is shown at page width.
const (
	chartWidth = 8 * vg.Inch
	panelH     = 3 * vg.Inch // one panel of a stacked chart
	singleH    = 4 * vg.Inch
	chartDPI   = 120
)

// Target APR band the seed asks about.
const (
	TargetAPRLow  = 0.15
	TargetAPRHigh = 0.25
)

// Chart is one PNG the report embeds.
type Chart struct {
	File    string // file name inside the report directory
	Caption string // one line under the image
	draw    func() ([]*plot.Plot, error)
}

// charts lists the report's figures in the order the markdown shows them.
func charts(base []Result, hist market.History) []Chart {
	main := base[0]
	return []Chart{
		{"share_price_apr.png", "sUSDai share price (top) and monthly realized APR (bottom) for each base run, with the 3-month T-bill rate and the 15–25% target band.",
			func() ([]*plot.Plot, error) { return sharePriceAPR(base) }},
		{"projected_vs_realized.png", fmt.Sprintf("Projected APR (what the book promised at the start of the month) against realized APR, run %q.", main.Params.Name),
			func() ([]*plot.Plot, error) { return projectedRealized(main) }},
		{"losses.png", fmt.Sprintf("Cumulative losses by layer, run %q (top), and the senior (sUSDai) loss of each base run (bottom), USDai.", main.Params.Name),
			func() ([]*plot.Plot, error) { return losses(base) }},
		{"defaults_recoveries.png", fmt.Sprintf("Defaults per month (top) and auction recoveries as a share of the lots' valuation (bottom), run %q.", main.Params.Name),
			func() ([]*plot.Plot, error) { return defaultsRecoveries(main) }},
		{"backing.png", "USDai backing ratio (reserves over supply) for each base run; the dashed line is full backing (1.0).",
			func() ([]*plot.Plot, error) { return backing(base) }},
		{"liquidity.png", fmt.Sprintf("Vault assets by place, run %q (top: idle, treasury, loans, stacked), and the redemption queue's value for each base run (bottom), USDai.", main.Params.Name),
			func() ([]*plot.Plot, error) { return liquidity(base) }},
		{"market.png", "Market inputs: H100 resale (USD/GPU), H100 rental (USD/GPU-hour, dashed: break-even) and the 3-month T-bill rate (%). Dots are sourced anchors; the lines between them are interpolated.",
			func() ([]*plot.Plot, error) { return marketInputs(hist) }},
	}
}

// render draws the panels of one chart stacked vertically and writes the PNG.
func render(path string, panels []*plot.Plot) error {
	h := singleH
	if len(panels) > 1 {
		h = panelH * vg.Length(len(panels))
	}
	img := vgimg.NewWith(vgimg.UseWH(chartWidth, h), vgimg.UseDPI(chartDPI))
	dc := draw.New(img)
	rows := make([][]*plot.Plot, len(panels))
	for i, p := range panels {
		rows[i] = []*plot.Plot{p}
	}
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4),
		PadLeft: vg.Points(4), PadRight: vg.Points(8), PadY: vg.Points(10)}
	for _, p := range panels {
		if p.Legend.Top {
			// Room above the data for the legend.
			p.Y.Max += 0.3 * (p.Y.Max - p.Y.Min)
		}
	}
	canvases := plot.Align(rows, tiles, dc)
	for i, p := range panels {
		p.Draw(canvases[i][0])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func writeCharts(dir string, list []Chart) error {
	for _, c := range list {
		panels, err := c.draw()
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.File, err)
		}
		if err := render(filepath.Join(dir, c.File), panels); err != nil {
			return fmt.Errorf("chart %s: %w", c.File, err)
		}
	}
	return nil
}

// newPlot is a panel with a month axis labelled from the run's months.
func newPlot(title, ylabel string, months []string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Y.Label.Text = ylabel
	p.Y.Label.TextStyle.Font.Size = vg.Points(11)
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Tick.Label.Font.Size = vg.Points(10)
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	p.X.Tick.Marker = monthTicks(months)
	p.Y.Tick.Marker = fineTicks
	p.X.Min, p.X.Max = -0.5, float64(len(months))-0.5
	return p
}

// fineTicks labels plot.DefaultTicks' positions with as many decimals as
// they need to be printed exactly, so a narrow range (a backing ratio of
// 1.000-1.004) does not print the same label on every tick and ticks at
// 1.05 and 1.35 are not printed as 1.0 and 1.3.
var fineTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	var labelled []float64
	for _, t := range ts {
		if t.Label != "" {
			labelled = append(labelled, t.Value)
		}
	}
	decimals := tickDecimals(labelled)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', decimals, 64)
		}
	}
	return ts
})

// tickDecimals is the fewest decimals (at most 6) with which every value
// prints as itself, to within a millionth of the smallest gap between them.
func tickDecimals(values []float64) int {
	gap := math.Inf(1)
	for i := 1; i < len(values); i++ {
		gap = math.Min(gap, math.Abs(values[i]-values[i-1]))
	}
	tol := 1e-9
	if !math.IsInf(gap, 1) && gap > 0 {
		tol = gap * 1e-6
	}
	for d := 0; d < 6; d++ {
		exact := true
		for _, v := range values {
			p, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
			if math.Abs(p-v) > tol {
				exact = false
				break
			}
		}
		if exact {
			return d
		}
	}
	return 6
}

// amountTicks labels amounts compactly (750k, 1.2M) on plot.DefaultTicks' positions.
var amountTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = compact(ts[i].Value)
		}
	}
	return ts
})

func compact(x float64) string {
	switch a := math.Abs(x); {
	case a >= 1e6:
		return strconv.FormatFloat(x/1e6, 'f', -1, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(x/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// monthTicks labels every third month (every month in a short run).
func monthTicks(months []string) plot.Ticker {
	step := 3
	if len(months) <= 8 {
		step = 1
	}
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		var ts []plot.Tick
		for i, m := range months {
			label := ""
			if i%step == 0 {
				label = m
			}
			ts = append(ts, plot.Tick{Value: float64(i), Label: label})
		}
		return ts
	})
}

func monthLabels(ms []Month) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Month.Format("2006-01")
	}
	return out
}

// series turns a run's months into points (x = month index).
func series(ms []Month, f func(Month) float64) plotter.XYs {
	xys := make(plotter.XYs, len(ms))
	for i, m := range ms {
		xys[i] = plotter.XY{X: float64(i), Y: f(m)}
	}
	return xys
}

// addLine adds a line in palette colour style and its legend entry.
func addLine(p *plot.Plot, name string, xys plotter.XYs, style int, dashed bool) error {
	return addLineColor(p, name, xys, plotutil.Color(style), dashed)
}

func addLineColor(p *plot.Plot, name string, xys plotter.XYs, c color.Color, dashed bool) error {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	l.Color = c
	l.Width = vg.Points(1.8)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	}
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

// addLevel draws a horizontal reference line across n months.
func addLevel(p *plot.Plot, name string, y float64, n int, c color.Color) error {
	l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: y}, {X: float64(n) - 0.5, Y: y}})
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = vg.Points(1.2)
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

var (
	grey  = color.Gray{Y: 110}
	green = color.RGBA{R: 30, G: 140, B: 60, A: 255}
)

// runs keeps the base runs that have months to draw.
func runs(base []Result) []Result {
	var out []Result
	for _, r := range base {
		if len(r.Months) > 0 {
			out = append(out, r)
		}
	}
	return out
}

func sharePriceAPR(base []Result) ([]*plot.Plot, error) {
	main := base[0]
	labels := monthLabels(main.Months)
	top := newPlot("sUSDai share price", "USDai per share", labels)
	bottom := newPlot("Monthly realized APR", "% a year", labels)
	for i, r := range runs(base) {
		if err := addLine(top, r.Params.Name, series(r.Months, func(m Month) float64 { return m.SharePrice }), i, false); err != nil {
			return nil, err
		}
		if err := addLine(bottom, r.Params.Name, series(r.Months, func(m Month) float64 { return 100 * m.RealizedAPR }), i, false); err != nil {
			return nil, err
		}
	}
	if err := addLineColor(bottom, "3-month T-bill", series(main.Months, func(m Month) float64 { return 100 * m.TBillRate }), grey, true); err != nil {
		return nil, err
	}
	if err := addLevel(bottom, "target 15–25%", 100*TargetAPRLow, len(main.Months), green); err != nil {
		return nil, err
	}
	if err := addLevel(bottom, "", 100*TargetAPRHigh, len(main.Months), green); err != nil {
		return nil, err
	}
	return []*plot.Plot{top, bottom}, nil
}

func projectedRealized(r Result) ([]*plot.Plot, error) {
	p := newPlot(fmt.Sprintf("Projected vs realized APR (%s)", r.Params.Name), "% a year", monthLabels(r.Months))
	if err := addLine(p, "projected", series(r.Months, func(m Month) float64 { return 100 * m.ProjectedAPR }), 2, true); err != nil {
		return nil, err
	}
	if err := addLine(p, "realized", series(r.Months, func(m Month) float64 { return 100 * m.RealizedAPR }), 0, false); err != nil {
		return nil, err
	}
	if err := addLevel(p, "target 15–25%", 100*TargetAPRLow, len(r.Months), green); err != nil {
		return nil, err
	}
	if err := addLevel(p, "", 100*TargetAPRHigh, len(r.Months), green); err != nil {
		return nil, err
	}
	return []*plot.Plot{p}, nil
}

func losses(base []Result) ([]*plot.Plot, error) {
	main := base[0]
	labels := monthLabels(main.Months)
	top := newPlot(fmt.Sprintf("Cumulative losses by layer (%s)", main.Params.Name), "USDai", labels)
	top.Y.Tick.Marker = amountTicks
	layers := []struct {
		name string
		f    func(Month) float64
	}{
		{"borrower equity", func(m Month) float64 { return m.LossBorrowerEquity }},
		{"insurance", func(m Month) float64 { return m.LossInsurance }},
		{"first loss", func(m Month) float64 { return m.LossFirstLoss }},
		{"senior (sUSDai)", func(m Month) float64 { return m.LossSenior }},
	}
	for i, l := range layers {
		if err := addLine(top, l.name, series(main.Months, l.f), i, false); err != nil {
			return nil, err
		}
	}
	bottom := newPlot("Senior loss by base run", "USDai", labels)
	bottom.Y.Tick.Marker = amountTicks
	for i, r := range runs(base) {
		if err := addLine(bottom, r.Params.Name, series(r.Months, func(m Month) float64 { return m.LossSenior }), i, false); err != nil {
			return nil, err
		}
	}
	return []*plot.Plot{top, bottom}, nil
}

// barWidth fits n bars into the plot's width with gaps between them.
func barWidth(n int) vg.Length {
	w := 6.5 * vg.Inch / vg.Length(max(n, 1)) * 0.7
	return min(w, vg.Points(24))
}

func bars(p *plot.Plot, name string, vs plotter.Values, style int) (*plotter.BarChart, error) {
	b, err := plotter.NewBarChart(vs, barWidth(len(vs)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b.Color = plotutil.Color(style)
	b.LineStyle.Width = 0
	p.Add(b)
	p.Legend.Add(name, b)
	return b, nil
}

func defaultsRecoveries(r Result) ([]*plot.Plot, error) {
	labels := monthLabels(r.Months)
	top := newPlot(fmt.Sprintf("Defaults per month (%s)", r.Params.Name), "loans", labels)
	defaults := make(plotter.Values, len(r.Months))
	recovery := make(plotter.Values, len(r.Months))
	for i, m := range r.Months {
		defaults[i] = float64(m.Defaults)
		recovery[i] = 100 * RecoveryShare(m)
	}
	if _, err := bars(top, "defaults", defaults, 1); err != nil {
		return nil, err
	}
	// Settled auctions as a line over the bars: a default's auction may settle a month later.
	if err := addLine(top, "auctions settled", series(r.Months, func(m Month) float64 { return float64(m.Auctions) }), 0, false); err != nil {
		return nil, err
	}
	top.Y.Min = 0
	bottom := newPlot("Auction recoveries", "% of the lots' valuation", labels)
	if _, err := bars(bottom, "recovered", recovery, 2); err != nil {
		return nil, err
	}
	bottom.Y.Min = 0
	return []*plot.Plot{top, bottom}, nil
}

// RecoveryShare is what buyers paid for the month's settled lots over their
// valuation when the auctions opened (0 in a month without auctions).
func RecoveryShare(m Month) float64 {
	if m.AuctionAppraised <= 0 {
		return 0
	}
	return m.AuctionRecoveries / m.AuctionAppraised
}

func backing(base []Result) ([]*plot.Plot, error) {
	main := base[0]
	p := newPlot("USDai backing ratio", "reserves / supply", monthLabels(main.Months))
	for i, r := range runs(base) {
		if err := addLine(p, r.Params.Name, series(r.Months, func(m Month) float64 { return m.BackingRatio }), i, false); err != nil {
			return nil, err
		}
	}
	if err := addLevel(p, "fully backed (1.0)", 1, len(main.Months), color.RGBA{R: 200, A: 255}); err != nil {
		return nil, err
	}
	// Keep the 1.0 line off the frame's edge even when the ratio never moves.
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0.995), math.Max(p.Y.Max, 1.005)
	return []*plot.Plot{p}, nil
}

func liquidity(base []Result) ([]*plot.Plot, error) {
	main := base[0]
	labels := monthLabels(main.Months)
	top := newPlot(fmt.Sprintf("Vault assets (%s)", main.Params.Name), "USDai", labels)
	top.Y.Tick.Marker = amountTicks
	places := []struct {
		name string
		f    func(Month) float64
	}{
		{"loans", func(m Month) float64 { return m.VaultLoans }},
		{"treasury", func(m Month) float64 { return m.VaultTreasury }},
		{"idle", func(m Month) float64 { return m.VaultIdle }},
	}
	var below *plotter.BarChart
	total := 0.0
	for _, m := range main.Months {
		total = math.Max(total, m.VaultLoans+m.VaultTreasury+m.VaultIdle)
	}
	for i, pl := range places {
		vs := make(plotter.Values, len(main.Months))
		for j, m := range main.Months {
			vs[j] = pl.f(m)
		}
		b, err := bars(top, pl.name, vs, i)
		if err != nil {
			return nil, err
		}
		if below != nil {
			b.StackOn(below)
		}
		below = b
	}
	if err := addLine(top, "redemption queue", series(main.Months, func(m Month) float64 { return m.QueuedValue }), 4, false); err != nil {
		return nil, err
	}
	// A stacked bar's data range is its own segment: the axis must reach the stack's top.
	top.Y.Min, top.Y.Max = 0, math.Max(top.Y.Max, total)
	bottom := newPlot("Redemption queue by base run", "USDai", labels)
	bottom.Y.Tick.Marker = amountTicks
	for i, r := range runs(base) {
		if err := addLine(bottom, r.Params.Name, series(r.Months, func(m Month) float64 { return m.QueuedValue }), i, false); err != nil {
			return nil, err
		}
	}
	bottom.Y.Min = 0
	return []*plot.Plot{top, bottom}, nil
}

func marketInputs(hist market.History) ([]*plot.Plot, error) {
	pts := hist.Months()
	labels := make([]string, len(pts))
	index := map[string]int{}
	for i, p := range pts {
		labels[i] = p.Month.Format("2006-01")
		index[labels[i]] = i
	}
	panels := []struct {
		s      market.Series
		title  string
		unit   string
		scale  float64 // point value -> plotted unit
		anchor float64 // anchor value -> plotted unit
	}{
		{market.GPUPrice, "H100 resale", "USD per GPU", 1, 1},
		{market.RentPrice, "H100 rental", "USD per GPU-hour", 1, 1},
		{market.TBillRate, "3-month T-bill", "% a year", 100, 1},
	}
	var out []*plot.Plot
	for i, pn := range panels {
		p := newPlot(pn.title, pn.unit, labels)
		if pn.s == market.GPUPrice {
			p.Y.Tick.Marker = amountTicks
		}
		xys := make(plotter.XYs, len(pts))
		for j, pt := range pts {
			xys[j] = plotter.XY{X: float64(j), Y: pn.scale * pt.Value(pn.s)}
		}
		if err := addLine(p, "", xys, i, false); err != nil {
			return nil, err
		}
		var anchors plotter.XYs
		for _, a := range hist.Anchors(pn.s) {
			if j, ok := index[a.Month.Format("2006-01")]; ok {
				anchors = append(anchors, plotter.XY{X: float64(j), Y: pn.anchor * a.Value})
			}
		}
		if len(anchors) > 0 {
			sc, err := plotter.NewScatter(anchors)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle.Color = plotutil.Color(i)
			sc.GlyphStyle.Radius = vg.Points(3.5)
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(sc)
			p.Legend.Add("sourced anchor", sc)
		}
		if pn.s == market.RentPrice {
			if err := addLevel(p, fmt.Sprintf("break-even $%.2f", hist.BreakEvenRent), hist.BreakEvenRent, len(pts), grey); err != nil {
				return nil, err
			}
		}
		p.Legend.Top = false
		out = append(out, p)
	}
	return out, nil
}
