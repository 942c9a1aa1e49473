package backtest

import (
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/app"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingkeeper "github.com/infrafi/infrafi/x/lending/keeper"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

// fundableLoans caps the month's demand at what the vault can lend: its
// idle USDai and T-bills less the buffer, the redemption queue's reserve and
// the PENDING loans' commitments. Operators read this from the vault query
// before they ask; requests beyond it would sit PENDING and, because each
// one's underwriting counts the others' commitments, block each other until
// they expire.
func (r *runner) fundableLoans(demand int) (int, error) {
	v, err := r.fx.YieldKeeper.View(r.ctx())
	if err != nil {
		return 0, err
	}
	room := toUSD(v.Vault.Idle.Add(v.Treasury.Principal).Sub(v.Reserved).Sub(v.Buffer).Sub(v.Committed))
	p := r.cfg.Params
	principal := p.MaxLTV * 0.98 * r.month.GPUPrice * float64(r.cfg.Model.GPUsPerTitle)
	n := 0
	for n < demand && room >= principal {
		room -= principal
		n++
	}
	return n, nil
}

// originate: the month's new operators each bring one 8-GPU title, get it
// into custody, appraised at the month's market value and insured for the
// product's minimum coverage, and ask for the largest loan the product
// allows less 2% (the appraisal depreciates until the day it is
// underwritten).
func (r *runner) originate() error {
	n, err := r.fundableLoans(Demand(r.rng, r.cfg.DemandMin, r.cfg.DemandMax))
	if err != nil || n == 0 {
		return err
	}
	if r.nextAcct+n > len(r.fx.Accounts) {
		return fmt.Errorf("out of borrower accounts")
	}
	issuer, cust, ins := r.acc(accIssuer), r.acc(accCustodian), r.acc(accInsurer)
	fresh := make([]*loan, n)
	var mints []sdk.Msg
	for i := range fresh {
		a := r.acc(r.nextAcct)
		fresh[i] = &loan{acct: a, model: DrawBorrower(r.rng, r.cfg.Model)}
		serials := make([]string, r.cfg.Model.GPUsPerTitle)
		for g := range serials {
			serials[g] = fmt.Sprintf("BT%04d-%d", r.nextAcct, g)
		}
		mints = append(mints, &calibertypes.MsgMintTitle{
			Issuer: issuer.Address.String(), ClassId: ClassID, Owner: a.Address.String(), Custodian: cust.Address.String(),
			Units: uint64(r.cfg.Model.GPUsPerTitle), Serials: serials, Facility: "DAL-01", Jurisdiction: "US-TX",
			Legal: calibertypes.LegalInfo{SpvId: fmt.Sprintf("SPV-%04d", r.nextAcct), DocumentSha256: reportHash},
		})
		r.nextAcct++
	}
	txs, err := r.deliver("mint titles", issuer, 10, mints)
	if err != nil {
		return err
	}
	minted, err := msgResponses(txs, func() *calibertypes.MsgMintTitleResponse { return &calibertypes.MsgMintTitleResponse{} })
	if err != nil {
		return err
	}
	var confirms, appraisals []sdk.Msg
	for i, m := range minted {
		fresh[i].title = m.TitleId
		confirms = append(confirms, &calibertypes.MsgConfirmCustody{Custodian: cust.Address.String(), TitleId: m.TitleId})
		appraisals = append(appraisals, r.appraisal(m.TitleId))
	}
	if _, err := r.deliver("confirm custody", cust, 20, confirms); err != nil {
		return err
	}
	if _, err := r.deliver("appraise", r.acc(accAppraiser), 20, appraisals); err != nil {
		return err
	}

	p := r.cfg.Params
	maturity := r.fx.BlockTime().Add(Periods*Interval + 60*24*time.Hour)
	years := maturity.Sub(r.fx.BlockTime()).Hours() / (365 * 24)
	var policyTxs [][]byte
	principals := make([]sdkmath.Int, n)
	premiums := make([]sdkmath.Int, n)
	var insured []int // indexes into fresh of the titles being insured
	for i, l := range fresh {
		val, err := r.fx.CaliberKeeper.GetValuation(r.ctx(), l.title)
		if err != nil {
			return err
		}
		principals[i] = lendingtypes.MaxByLTV(val.Value, dec4(p.MaxLTV*0.98))
		coverage := dec4(p.MinInsurance).MulInt(val.Value).Ceil().TruncateInt()
		if !coverage.IsPositive() {
			continue // the product asks for no insurance: the operator buys none
		}
		premiums[i] = usd(toUSD(coverage) * r.cfg.PremiumRate * years)
		insured = append(insured, i)
		r.result.Premiums += toUSD(premiums[i])
		policyTxs = append(policyTxs, r.fx.SignTx(l.acct,
			&stabletypes.MsgMint{Sender: l.acct.Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, premiums[i])},
			&calibertypes.MsgRequestPolicy{
				Owner: l.acct.Address.String(), TitleId: l.title, Insurer: ins.Address.String(),
				InsuredValue: val.Value, Coverage: coverage, ExpiresAt: maturity, MaxPremium: premiums[i],
			}))
	}
	if len(policyTxs) > 0 {
		res, err := r.block("request policies", policyTxs...)
		if err != nil {
			return err
		}
		var issues []sdk.Msg
		for k, tx := range res.TxResults {
			var resp calibertypes.MsgRequestPolicyResponse
			if err := txResponse(tx, &resp); err != nil {
				return err
			}
			issues = append(issues, &calibertypes.MsgIssuePolicy{Insurer: ins.Address.String(), RequestId: resp.RequestId, Premium: premiums[insured[k]]})
		}
		if _, err := r.deliver("issue policies", ins, 20, issues); err != nil {
			return err
		}
	}
	var requests [][]byte
	for i, l := range fresh {
		requests = append(requests, r.fx.SignTx(l.acct, &lendingtypes.MsgRequestLoan{
			Borrower: l.acct.Address.String(), TitleIds: []uint64{l.title}, ProductId: ProductID, Principal: principals[i],
		}))
	}
	res, err := r.block("request loans", requests...)
	if err != nil {
		return err
	}
	for i, tx := range res.TxResults {
		var resp lendingtypes.MsgRequestLoanResponse
		if err := txResponse(tx, &resp); err != nil {
			return err
		}
		fresh[i].id = resp.LoanId
	}
	r.loans = append(r.loans, fresh...)
	return nil
}

// daily is what happens every day: the treasury custodian settles recall
// orders, the curator underwrites what the vault can fund, operators cure
// what they can, the buyer bids on lots cheap enough, and the books record
// settlements, payoffs and served redemptions.
func (r *runner) daily(day time.Time) error {
	if err := r.settleTreasury(false); err != nil {
		return err
	}
	if err := r.underwrite(); err != nil {
		return err
	}
	if err := r.cure(); err != nil {
		return err
	}
	if err := r.bid(); err != nil {
		return err
	}
	r.trackRedemptions()
	return r.account()
}

// underwrite funds PENDING loans in request order while the vault's
// fundable liquidity covers their senior part; the operator then pays the
// GPU vendor with the disbursement.
func (r *runner) underwrite() error {
	v, err := r.fx.YieldKeeper.View(r.ctx())
	if err != nil {
		return err
	}
	idle, committed := v.Vault.Idle, v.Committed
	cur := r.acc(accCurator)
	var msgs []sdk.Msg
	var funded []*loan
	for _, l := range r.loans {
		if l.funded || l.closed || l.id == 0 {
			continue
		}
		ln, err := r.fx.LendingKeeper.GetLoan(r.ctx(), l.id)
		if err != nil {
			return err
		}
		if ln.Status != lendingtypes.LoanPending {
			l.closed = true // expired: the vault could not fund it in time
			continue
		}
		value, err := r.loanValue(ln)
		if err != nil {
			return err
		}
		if ln.Principal.GT(lendingtypes.MaxByLTV(value, dec4(r.cfg.Params.MaxLTV))) {
			continue // waited too long: the curator lets it expire
		}
		junior := dec4(r.cfg.Params.FirstLoss).MulInt(ln.Principal).Ceil().TruncateInt()
		senior := ln.Principal.Sub(junior)
		// The loan's own commitment is released at underwriting; the
		// other PENDING loans' commitments stay.
		if senior.GT(idle.Sub(v.Reserved).Sub(v.Buffer).Sub(committed.Sub(ln.Principal))) {
			break // first come, first served
		}
		idle, committed = idle.Sub(senior), committed.Sub(ln.Principal)
		msgs = append(msgs, &lendingtypes.MsgUnderwriteLoan{Curator: cur.Address.String(), LoanId: l.id, Apr: dec4(r.cfg.Params.APR), JuniorAmount: junior})
		funded = append(funded, l)
	}
	if _, err := r.deliver("underwrite", cur, 5, msgs); err != nil {
		return err
	}
	r.rec.Originated += len(funded)
	var pay [][]byte
	for _, l := range funded {
		l.funded = true
		cash := r.fx.BankKeeper.GetBalance(r.ctx(), l.acct.Address, app.USDaiDenom)
		if cash.IsPositive() {
			pay = append(pay, r.fx.SignTx(l.acct, &banktypes.MsgSend{
				FromAddress: l.acct.Address.String(), ToAddress: r.acc(accVendor).Address.String(), Amount: sdk.NewCoins(cash),
			}))
		}
	}
	if len(pay) > 0 {
		_, err = r.block("pay vendor", pay...)
	}
	return err
}

// performing loans are the funded ones not yet closed or defaulted.
func (r *runner) performing() ([]*loan, []lendingtypes.Loan, error) {
	var ls []*loan
	var ln []lendingtypes.Loan
	for _, l := range r.loans {
		if !l.funded || l.closed || l.defaulted {
			continue
		}
		x, err := r.fx.LendingKeeper.GetLoan(r.ctx(), l.id)
		if err != nil {
			return nil, nil, err
		}
		switch x.Status {
		case lendingtypes.LoanActive, lendingtypes.LoanMarginCall, lendingtypes.LoanDelinquent:
			ls, ln = append(ls, l), append(ln, x)
		}
	}
	return ls, ln, nil
}

// cure: an operator with cash cures what it can. A DELINQUENT loan pays the
// overdue installment; an LTV margin call pays principal down to max LTV;
// a DSCR margin call gets one installment of cash sent to the lockbox (an
// equity cure), at most once a month. Without the cash, the chain's
// deadline decides.
func (r *runner) cure() error {
	ls, lns, err := r.performing()
	if err != nil {
		return err
	}
	var txs [][]byte
	for i, l := range ls {
		ln := lns[i]
		cash := r.fx.BankKeeper.GetBalance(r.ctx(), l.acct.Address, app.USDaiDenom).Amount
		dues := ln.LateInterest.Add(ln.InterestDue).Add(ln.PrincipalDue)
		var msg sdk.Msg
		switch {
		case ln.Status == lendingtypes.LoanDelinquent:
			if cash.GTE(dues) && dues.IsPositive() {
				msg = &lendingtypes.MsgRepay{Payer: l.acct.Address.String(), LoanId: l.id, Amount: dues}
			}
		case ln.Status == lendingtypes.LoanMarginCall && ln.MarginCallReason == "ltv":
			value, err := r.loanValue(ln)
			if err != nil {
				return err
			}
			outstanding := ln.Senior.Balance.Add(ln.JuniorPrincipal)
			p := r.cfg.Params
			need := outstanding.Sub(lendingtypes.MaxByLTV(value, dec4(p.MaxLTV)))
			least := outstanding.Sub(lendingtypes.MaxByLTV(value, dec4(min(0.95, p.MaxLTV+LiquidationMargin)-0.01)))
			if !least.IsPositive() || cash.LT(dues.Add(least)) {
				break
			}
			down := sdkmath.MinInt(need, cash.Sub(dues))
			down = sdkmath.MinInt(down, outstanding.Sub(ln.PrincipalDue).SubRaw(1))
			msg = &lendingtypes.MsgRepay{Payer: l.acct.Address.String(), LoanId: l.id, Amount: dues.Add(down)}
		case ln.Status == lendingtypes.LoanMarginCall && ln.MarginCallReason == "dscr":
			month := time.Date(r.fx.BlockTime().Year(), r.fx.BlockTime().Month(), 1, 0, 0, 0, 0, time.UTC)
			top := ln.ScheduledDebtService
			if l.cureMonth.Equal(month) || !top.IsPositive() || cash.LT(top) {
				break
			}
			l.cureMonth = month
			lockbox := lendingtypes.LockboxAddress(l.id)
			msg = &banktypes.MsgSend{FromAddress: l.acct.Address.String(), ToAddress: lockbox.String(), Amount: sdk.NewCoins(sdk.NewCoin(app.USDaiDenom, top))}
		}
		if msg != nil {
			txs = append(txs, r.fx.SignTx(l.acct, msg))
		}
	}
	if len(txs) == 0 {
		return nil
	}
	_, err = r.block("cure", txs...)
	return err
}

// loanValue is the chain's valuation of a loan's titles now.
func (r *runner) loanValue(ln lendingtypes.Loan) (sdkmath.Int, error) {
	total := sdkmath.ZeroInt()
	for _, id := range ln.TitleIds {
		v, err := r.fx.CaliberKeeper.GetValuation(r.ctx(), id)
		if err != nil {
			continue // no valuation counts as 0, as the chain counts it
		}
		total = total.Add(v.Value)
	}
	return total, nil
}

// bid: the buyer pays at most the month's resale value × the auction
// recovery factor for a lot, and buys as soon as the Dutch price (or, after
// a write-off, the floor price of a recovery sale) is within it.
func (r *runner) bid() error {
	bidder := r.acc(accBidder)
	next := r.fx.BlockTime().Add(time.Minute)
	var msgs []sdk.Msg
	for _, l := range r.loans {
		if !l.defaulted || l.recovered {
			continue
		}
		a, err := r.fx.LendingKeeper.GetAuction(r.ctx(), l.id)
		if err != nil {
			return err
		}
		var price sdkmath.Int
		switch a.Status {
		case lendingtypes.AuctionOpen:
			if !next.Before(a.EndsAt) {
				continue // the round ends in this block
			}
			price = lendingkeeper.CurrentPrice(a, next)
		case lendingtypes.AuctionUnsold:
			price = a.FloorRatio.MulInt(a.TopPrice).TruncateInt()
		default:
			continue
		}
		units := len(a.TitleIds) * r.cfg.Model.GPUsPerTitle
		max := usd(r.month.GPUPrice * float64(units) * r.cfg.AuctionRecovery)
		if price.IsPositive() && price.LTE(max) {
			msgs = append(msgs, &lendingtypes.MsgBid{Bidder: bidder.Address.String(), AuctionId: l.id, MaxPrice: sdk.NewCoin(app.USDaiDenom, max)})
		}
	}
	_, err := r.deliver("bid", bidder, 3, msgs)
	return err
}

// payRent: on the 25th the GPUs' renters pay the month's net operating
// income into each performing loan's lockbox. The GPUs are installed and
// rented before their title is minted (custody is confirmed first), so a
// loan funded this month earns a full month.
func (r *runner) payRent() error {
	ls, _, err := r.performing()
	if err != nil {
		return err
	}
	customer := r.acc(accCustomer)
	total := sdkmath.ZeroInt()
	var outs []banktypes.Output
	for _, l := range ls {
		income := MonthlyIncome(r.cfg.Model, l.model, r.month.RentPrice, Shock(r.rng, r.cfg.Model))
		amt := usd(income)
		if !amt.IsPositive() {
			continue
		}
		total = total.Add(amt)
		outs = append(outs, banktypes.Output{Address: lendingtypes.LockboxAddress(l.id).String(), Coins: sdk.NewCoins(sdk.NewCoin(app.USDaiDenom, amt))})
	}
	if len(outs) == 0 {
		return nil
	}
	coins := sdk.NewCoins(sdk.NewCoin(app.USDaiDenom, total))
	_, err = r.block("pay rent", r.fx.SignTx(customer,
		&stabletypes.MsgMint{Sender: customer.Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, total)},
		&banktypes.MsgMultiSend{Inputs: []banktypes.Input{{Address: customer.Address.String(), Coins: coins}}, Outputs: outs}))
	return err
}

// withdrawProfits: operators of ACTIVE loans take what the lockbox holds
// above this period's dues and the next installment; it becomes their cash
// reserve (for cures).
func (r *runner) withdrawProfits() error {
	ls, lns, err := r.performing()
	if err != nil {
		return err
	}
	var txs [][]byte
	for i, l := range ls {
		if lns[i].Status != lendingtypes.LoanActive {
			continue
		}
		w := r.fx.LendingKeeper.Withdrawable(r.ctx(), lns[i])
		if w.IsPositive() {
			txs = append(txs, r.fx.SignTx(l.acct, &lendingtypes.MsgWithdrawLockbox{
				Borrower: l.acct.Address.String(), LoanId: l.id, Amount: sdk.NewCoins(sdk.NewCoin(app.USDaiDenom, w)),
			}))
		}
	}
	if len(txs) == 0 {
		return nil
	}
	_, err = r.block("withdraw profits", txs...)
	return err
}
