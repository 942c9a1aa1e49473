package backtest

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/backtest/market"
	"github.com/infrafi/infrafi/backtest/report"
	"github.com/infrafi/infrafi/testutil"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// Config is one backtest run.
type Config struct {
	Params report.Params
	Seed   int64
	// History is the months to run, first to last.
	History []market.Point
	// Model is the borrower model the operators are drawn from.
	Model market.BorrowerModel
	// AuctionRecovery is what buyers pay for a foreclosed lot, as a share of
	// the month's resale value (the "auction, 30 days" speed of sale).
	AuctionRecovery float64
	// DemandMin and DemandMax bound the loans asked for each month.
	DemandMin, DemandMax int
	// InitialDeposit is the USDai deposited in the vault at the start (USD).
	InitialDeposit float64
	// PremiumRate is the yearly insurance premium as a share of coverage.
	PremiumRate float64
	// Progress, when set, is told each month as it ends.
	Progress func(month time.Time, r report.Month)
}

// DefaultConfig is the documented run for a parameter set over the whole
// recorded history.
func DefaultConfig(p report.Params, h market.History) (Config, error) {
	recovery, ok := h.RecoveryFactor("auction")
	if !ok {
		return Config{}, errors.New("backtest: the market data has no auction recovery factor")
	}
	return Config{
		Params: p, Seed: 1, History: h.Months(), Model: h.Borrower, AuctionRecovery: recovery,
		DemandMin: 4, DemandMax: 10, InitialDeposit: 5_000_000, PremiumRate: 0.015,
	}, nil
}

// loan is the harness's record of one operator and its loan.
type loan struct {
	acct      testutil.Account
	model     Borrower
	title     uint64
	id        uint64
	funded    bool
	disbursed bool
	closed    bool // REPAID, CANCELLED, EXPIRED or settled (auction accounted)
	defaulted bool
	recovered bool
	cureMonth time.Time // last month the operator cured a DSCR call with cash
}

type runner struct {
	cfg      Config
	fx       *testutil.App
	rng      *rand.Rand
	loans    []*loan
	nextAcct int
	month    market.Point
	rec      report.Month // the month being recorded
	cum      report.Month // cumulative losses
	prices   []float64    // share price at the start of each month
	requests []pendingRedeem
	maxQueue time.Duration
	result   report.Result
}

type pendingRedeem struct {
	id uint64
	at time.Time
}

// Run drives one backtest. tb hosts the in-process chain (a test's *testing.T,
// or Harness() outside tests).
func Run(tb testing.TB, cfg Config) (res report.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, ok := p.(stop)
			if !ok {
				panic(p)
			}
			err = fmt.Errorf("backtest: the chain fixture failed: %s", s.msg)
		}
	}()
	if len(cfg.History) == 0 {
		return res, errors.New("backtest: empty market history")
	}
	if cfg.Model.GPUsPerTitle <= 0 || cfg.DemandMin < 0 || cfg.DemandMax < cfg.DemandMin {
		return res, errors.New("backtest: bad borrower model or demand bounds")
	}
	borrowers := len(cfg.History)*cfg.DemandMax + 1
	fx := testutil.Setup(tb, testutil.Options{
		Accounts:    accDepositor0 + Depositors + borrowers,
		Balance:     balance(),
		Genesis:     genesis(cfg.Params),
		GenesisTime: cfg.History[0].Month.Add(-time.Hour),
	})
	r := &runner{cfg: cfg, fx: fx, rng: rand.New(rand.NewSource(cfg.Seed)), nextAcct: accDepositor0 + Depositors}
	r.result = report.Result{Params: cfg.Params, Seed: cfg.Seed}
	if err := r.start(); err != nil {
		return res, err
	}
	for i, m := range cfg.History {
		end := m.Month.AddDate(0, 1, 0)
		if err := r.runMonth(m, end); err != nil {
			return res, fmt.Errorf("%s: %w", m.Month.Format("2006-01"), err)
		}
		if err := r.record(i); err != nil {
			return res, err
		}
		if cfg.Progress != nil {
			cfg.Progress(m.Month, r.result.Months[len(r.result.Months)-1])
		}
	}
	r.summarize()
	return r.result, nil
}

func (r *runner) acc(i int) testutil.Account { return r.fx.Accounts[i] }
func (r *runner) ctx() sdk.Context           { return r.fx.Ctx() }

// block commits txs one minute after the last block; every tx must succeed.
func (r *runner) block(what string, txs ...[]byte) (*abci.ResponseFinalizeBlock, error) {
	res := r.fx.NextBlock(time.Minute, txs...)
	for _, tx := range res.TxResults {
		if tx.Code != 0 {
			return res, errTx(what, tx.Code, tx.Log)
		}
	}
	return res, nil
}

// deliver sends msgs from one signer in batches of n per tx, a block each.
func (r *runner) deliver(what string, signer testutil.Account, n int, msgs []sdk.Msg) ([]*abci.ExecTxResult, error) {
	var out []*abci.ExecTxResult
	for len(msgs) > 0 {
		k := min(n, len(msgs))
		res, err := r.block(what, r.fx.SignTx(signer, msgs[:k]...))
		if err != nil {
			return out, err
		}
		out = append(out, res.TxResults...)
		msgs = msgs[k:]
	}
	return out, nil
}

// start funds the roles: the curator, insurer and bidder mint USDai from
// their USDC, the insurer funds its pool, the depositors make the initial
// deposit.
func (r *runner) start() error {
	big := usd(200_000_000)
	var txs [][]byte
	for _, i := range []int{accCurator, accInsurer, accBidder} {
		a := r.acc(i)
		txs = append(txs, r.fx.SignTx(a, &stabletypes.MsgMint{Sender: a.Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, big)}))
	}
	if _, err := r.block("fund roles", txs...); err != nil {
		return err
	}
	ins := r.acc(accInsurer)
	if _, err := r.block("fund pool", r.fx.SignTx(ins, &calibertypes.MsgFundInsurancePool{Insurer: ins.Address.String(), Amount: usd(150_000_000)})); err != nil {
		return err
	}
	return r.deposit(r.cfg.InitialDeposit)
}

// deposit spreads amount USD over the depositors: each mints and deposits.
func (r *runner) deposit(amount float64) error {
	if amount <= 0 {
		return nil
	}
	each := usd(amount / Depositors)
	var txs [][]byte
	for d := 0; d < Depositors; d++ {
		a := r.acc(accDepositor0 + d)
		txs = append(txs, r.fx.SignTx(a,
			&stabletypes.MsgMint{Sender: a.Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, each)},
			&yieldtypes.MsgDeposit{Depositor: a.Address.String(), Amount: sdk.NewCoin(app.USDaiDenom, each)}))
	}
	_, err := r.block("deposit", txs...)
	return err
}

// runMonth runs one calendar month, a day at a time.
func (r *runner) runMonth(m market.Point, end time.Time) error {
	r.month = m
	r.rec = report.Month{Month: m.Month, GPUPrice: m.GPUPrice, RentPrice: m.RentPrice, TBillRate: m.TBillRate}
	if err := r.monthStart(); err != nil {
		return err
	}
	for day := m.Month; day.Before(end); day = day.AddDate(0, 0, 1) {
		if r.fx.BlockTime().Before(day) {
			r.fx.NextBlock(day.Sub(r.fx.BlockTime()))
		}
		if err := r.daily(day); err != nil {
			return fmt.Errorf("%s: %w", day.Format("2006-01-02"), err)
		}
		switch day.Day() {
		case 2:
			if err := r.originate(); err != nil {
				return err
			}
		case 25:
			if err := r.payRent(); err != nil {
				return err
			}
		case 26:
			if err := r.withdrawProfits(); err != nil {
				return err
			}
		}
	}
	if r.fx.BlockTime().Before(end) {
		r.fx.NextBlock(end.Sub(r.fx.BlockTime()))
	}
	return nil
}

// monthStart: the oracle gets the month's prices, the treasury custodian
// pays the T-bill yield accrued, depositors act, custody is attested and
// appraisals about to lapse are renewed.
func (r *runner) monthStart() error {
	feeder := r.acc(accFeeder)
	gpu := sdkmath.LegacyNewDecFromInt(usd(r.month.GPUPrice))
	tbill := sdkmath.LegacyNewDecWithPrec(int64(math.Round(r.month.TBillRate*1e6)), 6)
	if _, err := r.block("post prices", r.fx.SignTx(feeder,
		&oracletypes.MsgPostPrice{Feeder: feeder.Address.String(), FeedId: GPUFeed, Value: gpu},
		&oracletypes.MsgPostPrice{Feeder: feeder.Address.String(), FeedId: TBillFeed, Value: tbill})); err != nil {
		return err
	}
	if err := r.settleTreasury(true); err != nil {
		return err
	}
	if err := r.depositors(); err != nil {
		return err
	}
	return r.maintainTitles()
}

// settleTreasury settles the open recall order and, with every settlement
// and at each month's start, the T-bill yield accrued (paid in USDC as the
// custodian's bills mature; a settlement that pays less books the rest as a
// loss). The settling block accrues one more minute: that minute is paid too.
func (r *runner) settleTreasury(monthly bool) error {
	v, err := r.fx.YieldKeeper.View(r.ctx())
	if err != nil {
		return err
	}
	principal := sdkmath.MinInt(v.Treasury.Recall, v.Treasury.Principal)
	if !principal.IsPositive() && !monthly {
		return nil
	}
	minute := v.Treasury.Rate.MulInt(v.Treasury.Principal).MulInt64(60).QuoInt64(yieldtypes.SecondsPerYear).Ceil().TruncateInt()
	y := v.AccruedYield.Add(minute)
	if !principal.IsPositive() && !v.AccruedYield.IsPositive() {
		return nil
	}
	c := r.acc(accTreasury)
	_, err = r.block("settle treasury", r.fx.SignTx(c, &yieldtypes.MsgSettleTreasury{Custodian: c.Address.String(), Principal: principal, Yield: y}))
	return err
}

// depositors apply the documented rule (model.go depositorRule) on the
// trailing three months' realized APR.
func (r *runner) depositors() error {
	v, err := r.fx.YieldKeeper.View(r.ctx())
	if err != nil {
		return err
	}
	trailing, have := r.trailingAPR(3)
	inflow, redeem := depositorRule(trailing, r.month.TBillRate, have)
	if err := r.deposit(inflow * toUSD(v.NAV)); err != nil {
		return err
	}
	if len(r.prices) == 0 {
		return nil // the initial deposit is not churned in its first month
	}
	var txs [][]byte
	for d := 0; d < Depositors; d++ {
		a := r.acc(accDepositor0 + d)
		shares := r.fx.BankKeeper.GetBalance(r.ctx(), a.Address, app.SUSDaiDenom).Amount
		q := sdkmath.LegacyNewDecFromInt(shares).Mul(dec4(redeem)).TruncateInt()
		if q.IsPositive() {
			txs = append(txs, r.fx.SignTx(a, &yieldtypes.MsgRequestRedeem{Owner: a.Address.String(), Shares: q}))
		}
	}
	if len(txs) == 0 {
		return nil
	}
	res, err := r.block("request redeem", txs...)
	if err != nil {
		return err
	}
	for _, tx := range res.TxResults {
		var resp yieldtypes.MsgRequestRedeemResponse
		if err := txResponse(tx, &resp); err != nil {
			return err
		}
		r.requests = append(r.requests, pendingRedeem{id: resp.RequestId, at: r.fx.BlockTime()})
	}
	return nil
}

// trailingAPR is the annualized share price change over the last n months.
func (r *runner) trailingAPR(n int) (float64, bool) {
	k := len(r.prices)
	if k <= n {
		return 0, false
	}
	return (r.prices[k-1]/r.prices[k-1-n] - 1) * 12 / float64(n), true
}

// maintainTitles: the custodian attests every title in its custody and the
// appraiser renews appraisals that lapse within 40 days, at the month's
// market value.
func (r *runner) maintainTitles() error {
	var live []uint64
	var appraise []sdk.Msg
	appr := r.acc(accAppraiser)
	for _, l := range r.loans {
		if l.title == 0 || l.closed || !l.funded {
			continue
		}
		t, err := r.fx.CaliberKeeper.GetTitle(r.ctx(), l.title)
		if err != nil {
			return err
		}
		if t.Status != calibertypes.StatusPledged && t.Status != calibertypes.StatusActive {
			continue
		}
		live = append(live, l.title)
		val, err := r.fx.CaliberKeeper.GetValuation(r.ctx(), l.title)
		if err != nil || len(val.Appraisals) == 0 || val.Appraisals[0].ValidUntil.Before(r.fx.BlockTime().Add(40*24*time.Hour)) {
			appraise = append(appraise, r.appraisal(l.title))
		}
	}
	cust := r.acc(accCustodian)
	var attest []sdk.Msg
	for len(live) > 0 {
		k := min(100, len(live))
		attest = append(attest, &calibertypes.MsgAttestCustody{Custodian: cust.Address.String(), TitleIds: live[:k], Online: true, UptimeBps: 9_900})
		live = live[k:]
	}
	if _, err := r.deliver("attest custody", cust, 1, attest); err != nil {
		return err
	}
	_, err := r.deliver("appraise", appr, 20, appraise)
	return err
}

// appraisal values a title at the month's market price, valid a year.
func (r *runner) appraisal(title uint64) *calibertypes.MsgAppraise {
	return &calibertypes.MsgAppraise{
		Appraiser: r.acc(accAppraiser).Address.String(), TitleId: title,
		Value: usd(r.month.GPUPrice * float64(r.cfg.Model.GPUsPerTitle)), ValidUntil: r.fx.BlockTime().Add(365 * 24 * time.Hour), ReportSha256: reportHash,
	}
}

const reportHash = "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e"

// txResponse decodes the single Msg response of a tx.
func txResponse(tx *abci.ExecTxResult, out proto.Message) error {
	var data sdk.TxMsgData
	if err := proto.Unmarshal(tx.Data, &data); err != nil {
		return err
	}
	if len(data.MsgResponses) == 0 {
		return errors.New("tx has no response")
	}
	return proto.Unmarshal(data.MsgResponses[len(data.MsgResponses)-1].Value, out)
}

// msgResponses decodes every Msg response of several txs, in order.
func msgResponses[T proto.Message](txs []*abci.ExecTxResult, newT func() T) ([]T, error) {
	var out []T
	for _, tx := range txs {
		var data sdk.TxMsgData
		if err := proto.Unmarshal(tx.Data, &data); err != nil {
			return nil, err
		}
		for _, m := range data.MsgResponses {
			v := newT()
			if err := proto.Unmarshal(m.Value, v); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	return out, nil
}
