package simulation

import (
	"context"
	"math/rand"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
)

// usdai is an amount of the loans' currency.
func usdai(amount math.Int) sdk.Coin { return sdk.NewCoin(types.Denom, amount) }

// balanceOf is an account's spendable USDai in the factory's view (what it
// has not yet set aside for this operation).
func balanceOf(a simsx.SimAccount) math.Int { return a.LiquidBalance().AmountOf(types.Denom) }

// requestSlack is how long after the request a title's policy must still run
// beyond the loan's duration, so that the loan can be underwritten a few
// blocks later.
const requestSlack = 12 * time.Hour

// MsgRequestLoanFactory requests a loan under a random enabled product on
// titles a simulated account owns: ACTIVE, valued, custody current and, when
// the product requires it, insured for the loan's life. The principal is
// within the product's max_ltv of their value and, while the vault has
// fundable liquidity, within what it can fund; so most requests can be
// underwritten.
func MsgRequestLoanFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgRequestLoan] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRequestLoan) {
		r := testData.Rand().Rand
		now := blockTime(ctx)
		products := k.products(ctx, func(p types.Product) bool { return p.Enabled })
		if len(products) == 0 {
			reporter.Skip("no enabled product")
			return nil, nil
		}
		params := must(k.Lending.Params.Get(ctx))
		active := k.titlesWith(ctx, calibertypes.StatusActive, "")
		// The first product, in a random order, some simulated account can borrow under.
		var (
			p       types.Product
			owners  []string
			byOwner map[string][]uint64
			value   map[uint64]math.Int
		)
		for _, i := range r.Perm(len(products)) {
			p, owners, byOwner, value = products[i], nil, map[string][]uint64{}, map[uint64]math.Int{}
			for _, t := range active {
				if !testData.HasAccount(t.Owner) || !p.AllowsClass(t.ClassId) || k.stale(ctx, t.Id) {
					continue
				}
				v, ok := k.value(ctx, t.Id)
				if !ok || !k.insured(ctx, t.Id, v, p.MinInsuranceBps, now.Add(p.Duration).Add(requestSlack)) {
					continue
				}
				if _, seen := byOwner[t.Owner]; !seen {
					owners = append(owners, t.Owner)
				}
				byOwner[t.Owner] = append(byOwner[t.Owner], t.Id)
				value[t.Id] = v
			}
			if len(owners) > 0 {
				break
			}
		}
		if len(owners) == 0 {
			reporter.Skip("no simulated account owns an ACTIVE, valued, current (and insured) title any product accepts")
			return nil, nil
		}
		owner := pick(r, owners)
		borrower := testData.GetAccount(reporter, owner)
		if reporter.IsSkipped() {
			return nil, nil
		}
		titles := byOwner[owner]
		r.Shuffle(len(titles), func(i, j int) { titles[i], titles[j] = titles[j], titles[i] })
		n := 1 + r.Intn(min(len(titles), int(params.MaxTitlesPerLoan), 3))
		titles = titles[:n]
		total := math.ZeroInt()
		for _, id := range titles {
			total = total.Add(value[id])
		}
		maxPrincipal := types.MaxByLTV(total, p.MaxLtv)
		fundable := must(k.Yield.Fundable(ctx))
		if byLiquidity := types.MaxByLiquidity(fundable, p.MinFirstLossBps); byLiquidity.IsPositive() && byLiquidity.LT(maxPrincipal) {
			maxPrincipal = byLiquidity
		}
		if maxPrincipal.LT(math.NewInt(1_000_000)) {
			reporter.Skipf("titles worth %s allow only %s%s", total, maxPrincipal, types.Denom)
			return nil, nil
		}
		principal := randInt(r, maxPrincipal.QuoRaw(3), maxPrincipal)
		return []simsx.SimAccount{borrower}, &types.MsgRequestLoan{
			Borrower: borrower.AddressBech32, TitleIds: titles, ProductId: p.Id, Principal: principal,
		}
	}
}

// MsgRequestLoanInvalidFactory sends a request that must be refused: under an
// unknown or a disabled product, on a title the signer does not own, on a
// title already in a loan, or with too many titles.
func MsgRequestLoanInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgRequestLoan] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRequestLoan, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		params := must(k.Lending.Params.Get(ctx))
		msg := &types.MsgRequestLoan{TitleIds: []uint64{1}, ProductId: MixedProductID, Principal: math.NewInt(1_000_000)}
		signer := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		switch r.Intn(5) {
		case 0: // a title owned by someone else
			var foreign []calibertypes.Title
			for _, t := range k.titlesWith(ctx, calibertypes.StatusActive, "") {
				if t.Owner != signer.AddressBech32 {
					foreign = append(foreign, t)
				}
			}
			if len(foreign) > 0 {
				t := pick(r, foreign)
				msg.Borrower, msg.TitleIds = signer.AddressBech32, []uint64{t.Id}
				msg.ProductId = productFor(ctx, k, t.ClassId)
				if msg.ProductId != "" {
					return []simsx.SimAccount{signer}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
				}
			}
		case 1: // a title already pledged to a live loan, by its owner
			live := k.loans(ctx, func(l types.Loan) bool { return types.Live(l.Status) && len(l.TitleIds) > 0 })
			if len(live) > 0 {
				l := pick(r, live)
				id := pick(r, l.TitleIds)
				t, err := k.Caliber.GetTitle(ctx, id)
				if product := productFor(ctx, k, t.ClassId); err == nil && product != "" {
					borrower := testData.GetAccount(reporter, l.Borrower)
					if reporter.IsSkipped() {
						return nil, nil, nil
					}
					msg.Borrower, msg.TitleIds, msg.ProductId = borrower.AddressBech32, []uint64{id}, product
					return []simsx.SimAccount{borrower}, msg, simutil.ExpectError(types.ErrTitleInLoan)
				}
			}
		case 2: // more titles than a loan may hold
			msg.Borrower, msg.TitleIds = signer.AddressBech32, nil
			for id := uint64(1); id <= uint64(params.MaxTitlesPerLoan)+1; id++ {
				msg.TitleIds = append(msg.TitleIds, id)
			}
			return []simsx.SimAccount{signer}, msg, simutil.ExpectError(types.ErrInvalidTitles)
		case 3: // a disabled product
			disabled := k.products(ctx, func(p types.Product) bool { return !p.Enabled })
			if len(disabled) > 0 {
				msg.Borrower, msg.ProductId = signer.AddressBech32, pick(r, disabled).Id
				return []simsx.SimAccount{signer}, msg, simutil.ExpectError(types.ErrProductDisabled)
			}
		}
		msg.Borrower, msg.ProductId = signer.AddressBech32, "sim-no-such-product"
		return []simsx.SimAccount{signer}, msg, simutil.ExpectError(types.ErrProductNotFound)
	})
}

// productFor is an enabled product accepting class ("" when none).
func productFor(ctx context.Context, k Keepers, class string) string {
	ps := k.products(ctx, func(p types.Product) bool { return p.Enabled && p.AllowsClass(class) })
	if len(ps) == 0 {
		return ""
	}
	return ps[0].Id
}

// MsgCancelLoanRequestFactory cancels a PENDING loan, signed by its borrower.
func MsgCancelLoanRequestFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgCancelLoanRequest] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCancelLoanRequest) {
		r := testData.Rand().Rand
		pending := k.loans(ctx, withStatus(types.LoanPending))
		if len(pending) == 0 {
			reporter.Skip("no PENDING loan")
			return nil, nil
		}
		l := pick(r, pending)
		borrower := testData.GetAccount(reporter, l.Borrower)
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{borrower}, &types.MsgCancelLoanRequest{Borrower: borrower.AddressBech32, LoanId: l.Id}
	}
}

// MsgCancelLoanRequestInvalidFactory cancels a loan that must not be
// cancelled: someone else's, a loan no longer PENDING, or an unknown loan.
func MsgCancelLoanRequestInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgCancelLoanRequest] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCancelLoanRequest, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		switch r.Intn(3) {
		case 0:
			if pending := k.loans(ctx, withStatus(types.LoanPending)); len(pending) > 0 {
				l := pick(r, pending)
				other := testData.AnyAccount(reporter, simsx.ExcludeAddresses(l.Borrower))
				if reporter.IsSkipped() {
					return nil, nil, nil
				}
				return []simsx.SimAccount{other}, &types.MsgCancelLoanRequest{Borrower: other.AddressBech32, LoanId: l.Id},
					simutil.ExpectError(sdkerrors.ErrUnauthorized)
			}
		case 1:
			if done := k.loans(ctx, func(l types.Loan) bool { return l.Status != types.LoanPending }); len(done) > 0 {
				l := pick(r, done)
				borrower := testData.GetAccount(reporter, l.Borrower)
				if reporter.IsSkipped() {
					return nil, nil, nil
				}
				return []simsx.SimAccount{borrower}, &types.MsgCancelLoanRequest{Borrower: borrower.AddressBech32, LoanId: l.Id},
					simutil.ExpectError(types.ErrInvalidLoanStatus)
			}
		}
		signer := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgCancelLoanRequest{Borrower: signer.AddressBech32, LoanId: k.unknownLoanID(ctx)},
			simutil.ExpectError(types.ErrLoanNotFound)
	})
}

// curatorAccount is the simulated CURATOR party (simutil.Curator), skipping
// when x/caliber does not hold it as an active curator.
func curatorAccount(ctx context.Context, k Keepers, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) simsx.SimAccount {
	c := testData.AccountAt(reporter, simutil.Curator)
	if reporter.IsSkipped() {
		return c
	}
	if !k.Caliber.HasRole(ctx, c.Address, calibertypes.RoleCurator) {
		reporter.Skip("the simulated curator is not an active CURATOR party")
	}
	return c
}

// underwriting is a PENDING loan's underwriting that passes every check.
type underwriting struct {
	loan   types.Loan
	apr    math.LegacyDec
	junior math.Int
}

// planUnderwriting returns the underwriting of l at a random APR and junior
// amount that passes every check of UnderwriteLoan, or the reason there is
// none now.
func planUnderwriting(ctx context.Context, k Keepers, r *rand.Rand, l types.Loan, curatorUSDai math.Int) (underwriting, string) {
	p, err := k.Lending.GetProduct(ctx, l.ProductId)
	if err != nil || !p.Enabled {
		return underwriting{}, "product missing or disabled"
	}
	minJunior := math.MaxInt(math.OneInt(), types.BpsOfCeil(l.Principal, p.MinFirstLossBps))
	maxJunior := math.MinInt(l.Principal.SubRaw(1), math.MinInt(curatorUSDai, minJunior.MulRaw(2)))
	if maxJunior.LT(minJunior) {
		return underwriting{}, "the curator cannot pay the junior tranche"
	}
	junior := randInt(r, minJunior, maxJunior)
	now := blockTime(ctx)
	value, each, ok := k.values(ctx, l.TitleIds)
	if !ok {
		return underwriting{}, "a title has no valuation"
	}
	if types.LTV(l.Principal, value).GT(p.MaxLtv) {
		return underwriting{}, "ltv above max_ltv"
	}
	for _, id := range l.TitleIds {
		if !k.insured(ctx, id, each[id], p.MinInsuranceBps, now.Add(p.Duration)) {
			return underwriting{}, "a title is not insured enough"
		}
		if k.stale(ctx, id) {
			return underwriting{}, "a title's custody is stale"
		}
	}
	senior := l.Principal.Sub(junior)
	if reason := concentrationBreach(ctx, k, l, senior); reason != "" {
		return underwriting{}, reason
	}
	// The loan's own commitment is released before the liquidity check.
	cache, _ := sdk.UnwrapSDKContext(ctx).CacheContext()
	if err := k.Yield.ReleaseFunding(cache, l.Principal); err != nil {
		return underwriting{}, "commitment missing: " + err.Error()
	}
	if must(k.Yield.Fundable(cache)).LT(senior) {
		return underwriting{}, "the vault cannot fund the senior part"
	}
	apr := randAPR(r, p.AprMin, p.AprMax)
	interest, principal := types.Installment(p.Schedule, l.Principal, apr, p.RepaymentInterval, p.Payments())
	dsr := interest.Add(principal).MulRaw(int64(p.DebtServiceReservePeriods))
	if !l.Principal.Sub(types.BpsOfCeil(l.Principal, p.OriginationFeeBps)).Sub(dsr).IsPositive() {
		return underwriting{}, "principal does not cover the fee and reserve"
	}
	return underwriting{loan: l, apr: apr, junior: junior}, ""
}

// concentrationBreach repeats the concentration check of underwriting.
func concentrationBreach(ctx context.Context, k Keepers, l types.Loan, senior math.Int) string {
	params := must(k.Lending.Params.Get(ctx))
	book := totalOf(ctx, k, "senior").Add(senior)
	if book.LT(params.ConcentrationMinBook) {
		return ""
	}
	check := func(kind, key string, limit uint32) string {
		have, err := k.Lending.Exposures.Get(ctx, collections.Join(kind, key))
		if err != nil {
			have = math.ZeroInt()
		}
		if have.Add(senior).MulRaw(types.BpsDenominator).GT(book.MulRaw(int64(limit))) {
			return "concentration limit of " + kind + " " + key
		}
		return ""
	}
	if s := check(types.ExposureBorrower, l.Borrower, params.MaxBorrowerConcentrationBps); s != "" {
		return s
	}
	for _, c := range l.AssetClasses {
		if s := check(types.ExposureClass, c, params.MaxClassConcentrationBps); s != "" {
			return s
		}
	}
	for _, c := range l.Custodians {
		if s := check(types.ExposureCustodian, c, params.MaxCustodianConcentrationBps); s != "" {
			return s
		}
	}
	return ""
}

func totalOf(ctx context.Context, k Keepers, key string) math.Int {
	v, err := k.Lending.Totals.Get(ctx, key)
	if err != nil {
		return math.ZeroInt()
	}
	return v
}

// MsgUnderwriteLoanFactory funds a PENDING loan as the simulated curator, at
// an APR in the product's range and a junior amount between the minimum first
// loss and twice it, when every underwriting check passes now.
func MsgUnderwriteLoanFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgUnderwriteLoan] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUnderwriteLoan) {
		r := testData.Rand().Rand
		pending := k.loans(ctx, withStatus(types.LoanPending))
		if len(pending) == 0 {
			reporter.Skip("no PENDING loan")
			return nil, nil
		}
		curator := curatorAccount(ctx, k, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil
		}
		r.Shuffle(len(pending), func(i, j int) { pending[i], pending[j] = pending[j], pending[i] })
		reason := ""
		for _, l := range pending {
			u, why := planUnderwriting(ctx, k, r, l, balanceOf(curator))
			if why != "" {
				reason = why
				continue
			}
			curator.LiquidBalance().BlockAmount(usdai(u.junior))
			return []simsx.SimAccount{curator}, &types.MsgUnderwriteLoan{
				Curator: curator.AddressBech32, LoanId: l.Id, Apr: u.apr, JuniorAmount: u.junior,
			}
		}
		reporter.Skipf("no PENDING loan can be underwritten now (%s)", reason)
		return nil, nil
	}
}

// MsgUnderwriteLoanInvalidFactory underwrites with input that must be
// refused: by a non-curator, at an APR outside the product's range, with a
// junior amount below the minimum first loss, of a loan not PENDING, or of an
// unknown loan.
func MsgUnderwriteLoanInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgUnderwriteLoan] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUnderwriteLoan, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		msg := &types.MsgUnderwriteLoan{Apr: math.LegacyNewDecWithPrec(10, 2), JuniorAmount: math.NewInt(1_000_000)}
		pending := k.loans(ctx, withStatus(types.LoanPending))
		curator := curatorAccount(ctx, k, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		msg.Curator = curator.AddressBech32
		switch r.Intn(5) {
		case 0: // a signer that is no curator
			if len(pending) > 0 {
				other := testData.AnyAccount(reporter, simsx.ExcludeAccounts(curator))
				if reporter.IsSkipped() {
					return nil, nil, nil
				}
				msg.Curator, msg.LoanId = other.AddressBech32, pick(r, pending).Id
				return []simsx.SimAccount{other}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
			}
		case 1: // an APR above the product's range
			if len(pending) > 0 {
				l := pick(r, pending)
				if p, err := k.Lending.GetProduct(ctx, l.ProductId); err == nil && p.Enabled && p.AprMax.LTE(math.LegacyNewDecWithPrec(999, 2)) {
					msg.LoanId, msg.Apr = l.Id, p.AprMax.Add(math.LegacyNewDecWithPrec(1, 2))
					return []simsx.SimAccount{curator}, msg, simutil.ExpectError(types.ErrAPROutOfRange)
				}
			}
		case 2: // a junior amount below the minimum first loss
			if len(pending) > 0 {
				l := pick(r, pending)
				if p, err := k.Lending.GetProduct(ctx, l.ProductId); err == nil && p.Enabled {
					if minJunior := types.BpsOfCeil(l.Principal, p.MinFirstLossBps); minJunior.GT(math.OneInt()) {
						msg.LoanId, msg.Apr, msg.JuniorAmount = l.Id, p.AprMin, minJunior.SubRaw(1)
						return []simsx.SimAccount{curator}, msg, simutil.ExpectError(types.ErrJuniorTooLow)
					}
				}
			}
		case 3: // a loan no longer PENDING
			if done := k.loans(ctx, func(l types.Loan) bool { return l.Status != types.LoanPending }); len(done) > 0 {
				msg.LoanId = pick(r, done).Id
				return []simsx.SimAccount{curator}, msg, simutil.ExpectError(types.ErrInvalidLoanStatus)
			}
		}
		msg.LoanId = k.unknownLoanID(ctx)
		return []simsx.SimAccount{curator}, msg, simutil.ExpectError(types.ErrLoanNotFound)
	})
}

// installmentNow is what a performing loan owes for the current period now:
// grace interest, interest due and principal due.
func installmentNow(l types.Loan, now time.Time) math.Int {
	return lateOwed(l, now).Add(l.InterestDue).Add(l.PrincipalDue)
}

// defaulting reports whether a loan is one of the quarter whose borrowers
// never pay (MsgRepayFactory leaves them alone): they run through
// delinquency, default and the foreclosure auction.
func defaulting(l types.Loan) bool { return l.Id%4 == 0 }

// MsgRepayFactory pays a performing loan: the installment due, part of it, a
// prepayment or the payoff, from the borrower (or, sometimes, any account
// holding the USDai). A quarter of the loans are never paid (defaulting).
func MsgRepayFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgRepay] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRepay) {
		r := testData.Rand().Rand
		now := blockTime(ctx)
		performing := k.loans(ctx, func(l types.Loan) bool { return types.Performing(l.Status) && !defaulting(l) })
		if len(performing) == 0 {
			reporter.Skip("no performing loan that its borrower pays")
			return nil, nil
		}
		l := pick(r, performing)
		payer := testData.GetAccount(reporter, l.Borrower)
		if reporter.IsSkipped() {
			return nil, nil
		}
		if r.Intn(5) == 0 {
			if other, ok := k.holderOf(ctx, testData, reporter, math.OneInt(), l.Borrower); ok {
				payer = other
			}
		}
		installment := installmentNow(l, now)
		debt := lateOwed(l, now).Add(l.InterestDue).Add(l.Outstanding())
		payoff := payoffOf(l, now)
		var amount math.Int
		switch r.Intn(4) {
		case 0:
			amount = installment
		case 1:
			amount = randInt(r, math.OneInt(), installment)
		case 2:
			amount = randInt(r, installment, debt)
		default:
			amount = payoff
		}
		if bal := balanceOf(payer); amount.GT(bal) {
			amount = bal
		}
		// A payment that repays all principal but not the exit fee is refused:
		// pay the payoff or leave some principal.
		if amount.GTE(debt) && amount.LT(payoff) {
			amount = debt.SubRaw(1)
		}
		if !amount.IsPositive() {
			reporter.Skip("the payer holds no USDai")
			return nil, nil
		}
		payer.LiquidBalance().BlockAmount(usdai(amount))
		return []simsx.SimAccount{payer}, &types.MsgRepay{Payer: payer.AddressBech32, LoanId: l.Id, Amount: amount}
	}
}

// payoffOf is what closes a performing loan now.
func payoffOf(l types.Loan, now time.Time) math.Int { return keeper.Payoff(l, now) }

// MsgRepayInvalidFactory pays what must be refused: a loan that takes no
// payments, an unknown loan, or more than the payer holds.
func MsgRepayInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgRepay] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRepay, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		now := blockTime(ctx)
		payer := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		msg := &types.MsgRepay{Payer: payer.AddressBech32, Amount: math.NewInt(1_000_000)}
		switch r.Intn(3) {
		case 0:
			if done := k.loans(ctx, func(l types.Loan) bool { return !types.Performing(l.Status) }); len(done) > 0 {
				msg.LoanId = pick(r, done).Id
				return []simsx.SimAccount{payer}, msg, simutil.ExpectError(types.ErrInvalidLoanStatus)
			}
		case 1:
			performing := k.loans(ctx, func(l types.Loan) bool { return types.Performing(l.Status) })
			if len(performing) > 0 {
				l := pick(r, performing)
				poor, ok := poorAccount(testData, payoffOf(l, now))
				if !ok {
					reporter.Skip("every account holds the payoff")
					return nil, nil, nil
				}
				msg.Payer, msg.LoanId, msg.Amount = poor.AddressBech32, l.Id, payoffOf(l, now)
				return []simsx.SimAccount{poor}, msg, simutil.ExpectError(sdkerrors.ErrInsufficientFunds)
			}
		}
		msg.LoanId = k.unknownLoanID(ctx)
		return []simsx.SimAccount{payer}, msg, simutil.ExpectError(types.ErrLoanNotFound)
	})
}

// MsgAddCollateralFactory pledges more of the borrower's ACTIVE, valued titles
// of a class the product accepts to a performing loan.
func MsgAddCollateralFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgAddCollateral] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAddCollateral) {
		r := testData.Rand().Rand
		params := must(k.Lending.Params.Get(ctx))
		performing := k.loans(ctx, func(l types.Loan) bool {
			return types.Performing(l.Status) && uint32(len(l.TitleIds)) < params.MaxTitlesPerLoan
		})
		r.Shuffle(len(performing), func(i, j int) { performing[i], performing[j] = performing[j], performing[i] })
		for _, l := range performing {
			p, err := k.Lending.GetProduct(ctx, l.ProductId)
			if err != nil {
				continue
			}
			var free []uint64
			for _, t := range k.titlesWith(ctx, calibertypes.StatusActive, l.Borrower) {
				if _, ok := k.value(ctx, t.Id); ok && p.AllowsClass(t.ClassId) {
					free = append(free, t.Id)
				}
			}
			if len(free) == 0 {
				continue
			}
			borrower := testData.GetAccount(reporter, l.Borrower)
			if reporter.IsSkipped() {
				return nil, nil
			}
			n := 1 + r.Intn(min(len(free), int(params.MaxTitlesPerLoan)-len(l.TitleIds), 2))
			return []simsx.SimAccount{borrower}, &types.MsgAddCollateral{Borrower: borrower.AddressBech32, LoanId: l.Id, TitleIds: free[:n]}
		}
		reporter.Skip("no borrower of a performing loan holds a free, valued title the product accepts")
		return nil, nil
	}
}

// MsgAddCollateralInvalidFactory adds collateral that must be refused: to
// someone else's loan, to a loan not performing, a title of someone else, or
// a title already in the loan.
func MsgAddCollateralInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgAddCollateral] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAddCollateral, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		params := must(k.Lending.Params.Get(ctx))
		performing := k.loans(ctx, func(l types.Loan) bool {
			return types.Performing(l.Status) && uint32(len(l.TitleIds)) < params.MaxTitlesPerLoan
		})
		switch r.Intn(4) {
		case 0: // someone else's loan
			if len(performing) > 0 {
				l := pick(r, performing)
				other := testData.AnyAccount(reporter, simsx.ExcludeAddresses(l.Borrower))
				if reporter.IsSkipped() {
					return nil, nil, nil
				}
				return []simsx.SimAccount{other}, &types.MsgAddCollateral{Borrower: other.AddressBech32, LoanId: l.Id, TitleIds: []uint64{1}},
					simutil.ExpectError(sdkerrors.ErrUnauthorized)
			}
		case 1: // a loan that is not performing
			if done := k.loans(ctx, func(l types.Loan) bool { return !types.Performing(l.Status) }); len(done) > 0 {
				l := pick(r, done)
				borrower := testData.GetAccount(reporter, l.Borrower)
				if reporter.IsSkipped() {
					return nil, nil, nil
				}
				return []simsx.SimAccount{borrower}, &types.MsgAddCollateral{Borrower: borrower.AddressBech32, LoanId: l.Id, TitleIds: []uint64{1}},
					simutil.ExpectError(types.ErrInvalidLoanStatus)
			}
		case 2: // a title of someone else
			if len(performing) > 0 {
				l := pick(r, performing)
				var foreign []uint64
				for _, t := range k.titlesWith(ctx, calibertypes.StatusActive, "") {
					if t.Owner != l.Borrower {
						foreign = append(foreign, t.Id)
					}
				}
				if len(foreign) > 0 {
					borrower := testData.GetAccount(reporter, l.Borrower)
					if reporter.IsSkipped() {
						return nil, nil, nil
					}
					return []simsx.SimAccount{borrower}, &types.MsgAddCollateral{Borrower: borrower.AddressBech32, LoanId: l.Id, TitleIds: []uint64{pick(r, foreign)}},
						simutil.ExpectError(sdkerrors.ErrUnauthorized)
				}
			}
		}
		// a title the loan already holds
		if len(performing) == 0 {
			reporter.Skip("no performing loan")
			return nil, nil, nil
		}
		l := pick(r, performing)
		borrower := testData.GetAccount(reporter, l.Borrower)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{borrower}, &types.MsgAddCollateral{Borrower: borrower.AddressBech32, LoanId: l.Id, TitleIds: []uint64{pick(r, l.TitleIds)}},
			simutil.ExpectError(types.ErrTitleInLoan)
	})
}

// withdrawable returns a title of an ACTIVE loan whose withdrawal keeps the
// loan within max_ltv (ok), or one whose withdrawal breaches it (!ok), in a
// random order; found is false when the loan has no title of the kind.
func withdrawable(ctx context.Context, k Keepers, r *rand.Rand, l types.Loan, wantOK bool) (uint64, bool) {
	if len(l.TitleIds) < 2 {
		return 0, false
	}
	for _, i := range r.Perm(len(l.TitleIds)) {
		keep := make([]uint64, 0, len(l.TitleIds)-1)
		keep = append(keep, l.TitleIds[:i]...)
		keep = append(keep, l.TitleIds[i+1:]...)
		value, _, ok := k.values(ctx, keep)
		if !ok {
			continue
		}
		if types.LTV(l.Outstanding(), value).LTE(l.Terms.MaxLtv) == wantOK {
			return l.TitleIds[i], true
		}
	}
	return 0, false
}

// MsgWithdrawCollateralFactory releases a title of an ACTIVE loan whose other
// titles are valued and keep it within its max_ltv.
func MsgWithdrawCollateralFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgWithdrawCollateral] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgWithdrawCollateral) {
		r := testData.Rand().Rand
		active := k.loans(ctx, func(l types.Loan) bool { return l.Status == types.LoanActive && len(l.TitleIds) > 1 })
		r.Shuffle(len(active), func(i, j int) { active[i], active[j] = active[j], active[i] })
		for _, l := range active {
			id, found := withdrawable(ctx, k, r, l, true)
			if !found {
				continue
			}
			borrower := testData.GetAccount(reporter, l.Borrower)
			if reporter.IsSkipped() {
				return nil, nil
			}
			return []simsx.SimAccount{borrower}, &types.MsgWithdrawCollateral{Borrower: borrower.AddressBech32, LoanId: l.Id, TitleIds: []uint64{id}}
		}
		reporter.Skip("no ACTIVE loan can release a title within its max_ltv")
		return nil, nil
	}
}

// MsgWithdrawCollateralInvalidFactory withdraws what must be refused: every
// title, a title not in the loan, a title whose release breaches max_ltv, from
// a loan not ACTIVE, or from someone else's loan.
func MsgWithdrawCollateralInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgWithdrawCollateral] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgWithdrawCollateral, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		active := k.loans(ctx, withStatus(types.LoanActive))
		if len(active) == 0 {
			if done := k.loans(ctx, func(l types.Loan) bool { return l.Status != types.LoanActive && len(l.TitleIds) > 0 }); len(done) > 0 {
				l := pick(r, done)
				borrower := testData.GetAccount(reporter, l.Borrower)
				if reporter.IsSkipped() {
					return nil, nil, nil
				}
				return []simsx.SimAccount{borrower}, &types.MsgWithdrawCollateral{Borrower: borrower.AddressBech32, LoanId: l.Id, TitleIds: []uint64{l.TitleIds[0]}},
					simutil.ExpectError(types.ErrInvalidLoanStatus)
			}
			reporter.Skip("no loan")
			return nil, nil, nil
		}
		l := pick(r, active)
		borrower := testData.GetAccount(reporter, l.Borrower)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		msg := &types.MsgWithdrawCollateral{Borrower: borrower.AddressBech32, LoanId: l.Id}
		switch r.Intn(4) {
		case 0: // a title the loan does not hold
			msg.TitleIds = []uint64{1 << 40}
			return []simsx.SimAccount{borrower}, msg, simutil.ExpectError(types.ErrTitleNotInLoan)
		case 1: // a release that breaches max_ltv
			if id, found := withdrawable(ctx, k, r, l, false); found {
				msg.TitleIds = []uint64{id}
				return []simsx.SimAccount{borrower}, msg, simutil.ExpectError(types.ErrLTVExceeded)
			}
		case 2: // someone else's loan
			other := testData.AnyAccount(reporter, simsx.ExcludeAddresses(l.Borrower))
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			msg.Borrower, msg.TitleIds = other.AddressBech32, []uint64{l.TitleIds[0]}
			return []simsx.SimAccount{other}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
		}
		msg.TitleIds = append([]uint64(nil), l.TitleIds...)
		return []simsx.SimAccount{borrower}, msg, simutil.ExpectError(types.ErrInvalidTitles)
	})
}

// biddable reports whether a bid on the auction can succeed now: an OPEN
// round not yet ended with its titles FORECLOSING, or a written-off lot whose
// titles are still ACTIVE in the foreclosed-asset account.
func biddable(ctx context.Context, k Keepers, a types.Auction, now time.Time) bool {
	var want calibertypes.TitleStatus
	var owner string
	switch {
	case a.Status == types.AuctionOpen && now.Before(a.EndsAt):
		want = calibertypes.StatusForeclosing
	case a.Status == types.AuctionUnsold:
		want, owner = calibertypes.StatusActive, k.Lending.ForeclosedAddress().String()
	default:
		return false
	}
	for _, id := range a.TitleIds {
		t, err := k.Caliber.GetTitle(ctx, id)
		if err != nil || t.Status != want || (owner != "" && t.Owner != owner) {
			return false
		}
	}
	return true
}

// MsgBidFactory buys an auction's lot at its current price (an OPEN round or
// a recovery sale), by an account holding the USDai.
func MsgBidFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgBid] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgBid) {
		r := testData.Rand().Rand
		now := blockTime(ctx)
		open := k.auctions(ctx, func(a types.Auction) bool { return biddable(ctx, k, a, now) })
		if len(open) == 0 {
			reporter.Skip("no auction to bid on")
			return nil, nil
		}
		a := pick(r, open)
		price := currentPrice(a, now)
		bidder, ok := k.holderOf(ctx, testData, reporter, price)
		if !ok {
			reporter.Skipf("nobody holds the %s%s auction %d asks", price, types.Denom, a.Id)
			return nil, nil
		}
		maxPrice := price.Add(randInt(r, math.ZeroInt(), price.QuoRaw(10)))
		if !maxPrice.IsPositive() {
			maxPrice = math.OneInt()
		}
		bidder.LiquidBalance().BlockAmount(usdai(price))
		return []simsx.SimAccount{bidder}, &types.MsgBid{Bidder: bidder.AddressBech32, AuctionId: a.Id, MaxPrice: usdai(maxPrice)}
	}
}

// MsgBidInvalidFactory bids what must be refused: below the current price, on
// a closed auction, without the USDai, on an unknown auction, or in another
// denom.
func MsgBidInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgBid] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgBid, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		now := blockTime(ctx)
		bidder := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		msg := &types.MsgBid{Bidder: bidder.AddressBech32, AuctionId: k.unknownLoanID(ctx), MaxPrice: usdai(math.NewInt(1_000_000))}
		open := k.auctions(ctx, func(a types.Auction) bool { return biddable(ctx, k, a, now) })
		switch r.Intn(5) {
		case 0: // below the current price
			if len(open) > 0 {
				a := pick(r, open)
				if price := currentPrice(a, now); price.GT(math.OneInt()) {
					msg.AuctionId, msg.MaxPrice = a.Id, usdai(price.SubRaw(1))
					return []simsx.SimAccount{bidder}, msg, simutil.ExpectError(types.ErrBidTooLow)
				}
			}
		case 1: // a closed auction
			closed := k.auctions(ctx, func(a types.Auction) bool {
				return a.Status == types.AuctionSold || a.Status == types.AuctionRecovered ||
					(a.Status == types.AuctionOpen && !now.Before(a.EndsAt))
			})
			if len(closed) > 0 {
				msg.AuctionId = pick(r, closed).Id
				return []simsx.SimAccount{bidder}, msg, simutil.ExpectError(types.ErrAuctionClosed)
			}
		case 2: // a bidder short of the price
			if len(open) > 0 {
				a := pick(r, open)
				price := currentPrice(a, now)
				poor, ok := poorAccount(testData, price)
				if !ok {
					reporter.Skip("every account holds the price")
					return nil, nil, nil
				}
				msg.Bidder, msg.AuctionId, msg.MaxPrice = poor.AddressBech32, a.Id, usdai(price)
				return []simsx.SimAccount{poor}, msg, simutil.ExpectError(sdkerrors.ErrInsufficientFunds)
			}
		case 3: // another denom
			msg.MaxPrice = sdk.NewCoin(simutil.ReserveDenom, math.NewInt(1_000_000))
			return []simsx.SimAccount{bidder}, msg, simutil.ExpectError(types.ErrInvalidDenom)
		}
		return []simsx.SimAccount{bidder}, msg, simutil.ExpectError(types.ErrAuctionNotFound)
	})
}

// WeightedOperationsX registers every x/lending message's operations: the
// valid ones weighted so that loans are requested, funded, repaid and
// auctioned, and one invalid-input operation per message.
func WeightedOperationsX(k Keepers, weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("msg_request_loan", 60), MsgRequestLoanFactory(k))
	reg.Add(weights.Get("msg_cancel_loan_request", 5), MsgCancelLoanRequestFactory(k))
	reg.Add(weights.Get("msg_underwrite_loan", 60), MsgUnderwriteLoanFactory(k))
	reg.Add(weights.Get("msg_repay", 60), MsgRepayFactory(k))
	reg.Add(weights.Get("msg_add_collateral", 15), MsgAddCollateralFactory(k))
	reg.Add(weights.Get("msg_withdraw_collateral", 15), MsgWithdrawCollateralFactory(k))
	reg.Add(weights.Get("msg_bid", 40), MsgBidFactory(k))
	reg.Add(weights.Get("msg_pay_lockbox", 40), MsgPayLockboxFactory(k))
	reg.Add(weights.Get("msg_withdraw_lockbox", 10), MsgWithdrawLockboxFactory(k))

	reg.Add(weights.Get("msg_request_loan_invalid", 5), MsgRequestLoanInvalidFactory(k))
	reg.Add(weights.Get("msg_cancel_loan_request_invalid", 5), MsgCancelLoanRequestInvalidFactory(k))
	reg.Add(weights.Get("msg_underwrite_loan_invalid", 5), MsgUnderwriteLoanInvalidFactory(k))
	reg.Add(weights.Get("msg_repay_invalid", 5), MsgRepayInvalidFactory(k))
	reg.Add(weights.Get("msg_add_collateral_invalid", 5), MsgAddCollateralInvalidFactory(k))
	reg.Add(weights.Get("msg_withdraw_collateral_invalid", 5), MsgWithdrawCollateralInvalidFactory(k))
	reg.Add(weights.Get("msg_bid_invalid", 5), MsgBidInvalidFactory(k))
	reg.Add(weights.Get("msg_withdraw_lockbox_invalid", 5), MsgWithdrawLockboxInvalidFactory(k))
	reg.Add(weights.Get("msg_create_product_invalid", 3), MsgCreateProductInvalidFactory(k))
	reg.Add(weights.Get("msg_update_product_invalid", 3), MsgUpdateProductInvalidFactory(k))
	reg.Add(weights.Get("msg_update_params_invalid", 3), MsgUpdateParamsInvalidFactory(k))
}

// ProposalMsgsX registers the authority-only messages as gov proposals
// (x/gov submits proposals at 1/25 of these weights).
func ProposalMsgsX(k Keepers, weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("msg_create_product", 50), MsgCreateProductFactory(k))
	reg.Add(weights.Get("msg_update_product", 100), MsgUpdateProductFactory(k))
	reg.Add(weights.Get("msg_update_params", 50), MsgUpdateParamsFactory(k))
}
