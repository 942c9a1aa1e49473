package main

import (
	"fmt"
	"io"
	"strings"

	sdkmath "cosmossdk.io/math"
)

// report prints the walkthrough: numbered steps, one line each with the
// transaction (or block) that made it, and one line of why under it.
type report struct {
	out  io.Writer
	step int
}

func (r *report) section(title string) {
	fmt.Fprintf(r.out, "\n== %s\n", title)
}

// tx prints a step done by a transaction.
func (r *report) tx(res *txResult, format string, args ...any) {
	r.line(fmt.Sprintf("tx %s", res.Hash), format, args...)
}

// block prints a step the chain did by itself (begin/end block) at height h.
func (r *report) block(h int64, format string, args ...any) {
	r.line(fmt.Sprintf("block %d", h), format, args...)
}

// info prints a step that only reads state.
func (r *report) info(format string, args ...any) {
	r.line("query", format, args...)
}

func (r *report) line(where, format string, args ...any) {
	r.step++
	fmt.Fprintf(r.out, "%3d. %s  [%s]\n", r.step, fmt.Sprintf(format, args...), where)
}

// why explains the numbers of the last step.
func (r *report) why(format string, args ...any) {
	fmt.Fprintf(r.out, "     why: %s\n", fmt.Sprintf(format, args...))
}

// usd formats a 6-decimal base amount (uusdai, uusdc, ususdai) in whole
// units with thousands separators: two decimals when it is whole cents, all
// six otherwise (localnet interest periods are a minute long, so interest is
// often a fraction of a cent).
func usd(amount sdkmath.Int) string {
	return strings.TrimSuffix(fixed(sdkmath.LegacyNewDecFromIntWithPrec(amount, 6), 6), "0000")
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// price formats a share price (uusdai per ususdai, so USDai per sUSDai)
// with six decimals.
func price(p sdkmath.LegacyDec) string { return fixed(p, 6) }

// pct formats a decimal rate as a percentage with two decimals.
func pct(d sdkmath.LegacyDec) string { return fixed(d.MulInt64(100), 2) + "%" }

// fixed writes d truncated to the given number of decimal places.
func fixed(d sdkmath.LegacyDec, places int) string {
	n := d.MulInt(sdkmath.NewIntWithDecimal(1, places)).TruncateInt()
	sign := ""
	if n.IsNegative() {
		sign, n = "-", n.Neg()
	}
	s := n.String()
	for len(s) <= places {
		s = "0" + s
	}
	return sign + groupThousands(s[:len(s)-places]) + "." + s[len(s)-places:]
}

// status names an enum value without its type prefix: LOAN_STATUS_ACTIVE → ACTIVE.
func status(s fmt.Stringer) string {
	n := s.String()
	if i := strings.Index(n, "STATUS_"); i >= 0 {
		return n[i+len("STATUS_"):]
	}
	return n
}

// units converts whole units (USDai, USDC) to base units.
func units(n int64) sdkmath.Int { return sdkmath.NewInt(n).MulRaw(1_000_000) }
