package backtest

import (
	"math"

	sdkmath "cosmossdk.io/math"

	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// account reads what happened to the harness's loans since yesterday:
// defaults, payoffs, settlements (the waterfall's losses by layer) and
// recovery sales.
func (r *runner) account() error {
	for _, l := range r.loans {
		if !l.funded || (l.closed && !l.defaulted) || l.recovered {
			continue
		}
		ln, err := r.fx.LendingKeeper.GetLoan(r.ctx(), l.id)
		if err != nil {
			return err
		}
		switch ln.Status {
		case lendingtypes.LoanRepaid:
			l.closed = true
			r.rec.Repaid++
			continue
		case lendingtypes.LoanForeclosing, lendingtypes.LoanLiquidated, lendingtypes.LoanWrittenOff:
		default:
			continue
		}
		if !l.defaulted {
			l.defaulted = true
			r.rec.Defaults++
			if r.result.DefaultReasons == nil {
				r.result.DefaultReasons = map[string]int{}
			}
			r.result.DefaultReasons[ln.DefaultReason]++
		}
		a, err := r.fx.LendingKeeper.GetAuction(r.ctx(), l.id)
		if err != nil {
			return err
		}
		if !l.closed && (a.Status == lendingtypes.AuctionSold || a.Status == lendingtypes.AuctionUnsold || a.Status == lendingtypes.AuctionRecovered) {
			l.closed = true
			w := a.Waterfall
			r.cum.LossInsurance += toUSD(w.Insurance)
			// Insurance is the last money in: the surplus, if any, is
			// made of it first.
			if toLenders := w.Insurance.Sub(w.Surplus); toLenders.IsPositive() {
				r.cum.InsuranceToLenders += toUSD(toLenders)
			}
			r.cum.LossFirstLoss += toUSD(w.JuniorLoss)
			r.cum.LossSenior += toUSD(w.SeniorLoss)
			owed := w.SeniorPrincipal.Add(w.SeniorInterest).Add(w.JuniorPrincipal).Add(w.JuniorInterest).Add(w.SeniorLoss).Add(w.JuniorLoss)
			if equity := a.ReferenceValue.Sub(owed).Sub(w.Surplus); equity.IsPositive() {
				r.cum.LossBorrowerEquity += toUSD(equity)
			}
			r.rec.Auctions++
			r.rec.AuctionAppraised += toUSD(a.ReferenceValue)
			if a.Status == lendingtypes.AuctionSold {
				r.rec.AuctionRecoveries += toUSD(a.PricePaid)
			}
		}
		if a.Status == lendingtypes.AuctionRecovered {
			// A recovery sale after the write-off: the vault gets its loss
			// back first, then the curator.
			l.recovered = true
			got := a.Recovered
			senior := sdkmath.MinInt(got, a.Waterfall.SeniorLoss)
			junior := sdkmath.MinInt(got.Sub(senior), a.Waterfall.JuniorLoss)
			r.cum.LossSenior -= toUSD(senior)
			r.cum.LossFirstLoss -= toUSD(junior)
			r.rec.AuctionRecoveries += toUSD(got)
		}
	}
	return nil
}

// trackRedemptions drops served requests and keeps the longest wait.
func (r *runner) trackRedemptions() {
	kept := r.requests[:0]
	for _, q := range r.requests {
		if ok, _ := r.fx.YieldKeeper.Requests.Has(r.ctx(), q.id); ok {
			kept = append(kept, q)
			continue
		}
		r.maxQueue = max(r.maxQueue, r.fx.BlockTime().Sub(q.at))
	}
	r.requests = kept
}

// record closes month i: the vault, the book, the backing and the
// cumulative losses as the chain reports them now.
func (r *runner) record(i int) error {
	ctx := r.ctx()
	v, err := r.fx.YieldKeeper.View(ctx)
	if err != nil {
		return err
	}
	price, err := yieldtypes.SharePrice(v.TotalShares, v.NAV)
	if err != nil {
		return err
	}
	_, projected, err := r.fx.YieldKeeper.APR(ctx)
	if err != nil {
		return err
	}
	por, err := r.fx.StableKeeper.ProofOfReserves(ctx)
	if err != nil {
		return err
	}
	m := r.rec
	m.SharePrice = fromDec(price)
	prev := 1.0
	if len(r.prices) > 0 {
		prev = r.prices[len(r.prices)-1]
	}
	m.RealizedAPR = (m.SharePrice/prev - 1) * 12
	r.prices = append(r.prices, m.SharePrice)
	if i == 0 {
		// The first month starts at the initial price of 1.
		r.prices = append([]float64{1}, r.prices...)
	}
	m.ProjectedAPR = fromDec(projected)
	ls, _, err := r.performing()
	if err != nil {
		return err
	}
	m.LoansActive = len(ls)
	m.LossBorrowerEquity, m.LossInsurance, m.InsuranceToLenders, m.LossFirstLoss, m.LossSenior =
		r.cum.LossBorrowerEquity, r.cum.LossInsurance, r.cum.InsuranceToLenders, r.cum.LossFirstLoss, math.Max(0, r.cum.LossSenior)
	m.BackingRatio = fromDec(por.Ratio)
	m.VaultIdle = toUSD(v.Vault.Idle)
	m.VaultTreasury = toUSD(v.Treasury.Principal)
	m.VaultLoans = toUSD(v.Book.Principal)
	m.QueuedShares = toUSD(v.Vault.EscrowedShares)
	m.QueuedValue = m.QueuedShares * m.SharePrice
	r.result.Months = append(r.result.Months, m)
	return nil
}

// summarize computes the run's totals.
func (r *runner) summarize() {
	res := &r.result
	n := len(res.Months)
	first := 1.0
	last := res.Months[n-1].SharePrice
	res.APR = math.Pow(last/first, 12/float64(n)) - 1
	res.SeniorLoss = res.Months[n-1].LossSenior
	res.JuniorLoss = res.Months[n-1].LossFirstLoss
	res.InsurerPaid = res.Months[n-1].LossInsurance
	res.InsurerToLenders = res.Months[n-1].InsuranceToLenders
	res.MinBacking = math.Inf(1)
	for _, m := range res.Months {
		res.Defaults += m.Defaults
		res.Originated += m.Originated
		res.MinBacking = math.Min(res.MinBacking, m.BackingRatio)
	}
	wait := r.maxQueue
	for _, q := range r.requests {
		wait = max(wait, r.fx.BlockTime().Sub(q.at))
	}
	res.MaxQueueDays = wait.Hours() / 24
}
