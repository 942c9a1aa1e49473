package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// collateralValue sums the valuations of titles; ErrNoValuation names the
// first title without a positive value.
func (k Keeper) collateralValue(ctx context.Context, titleIDs []uint64) (math.Int, map[uint64]math.Int, error) {
	return sumValuations(titleIDs, func(i int) (calibertypes.Valuation, error) { return k.caliber.GetValuation(ctx, titleIDs[i]) })
}

// sumValuations is collateralValue over valuations already read (valuation
// returns the i-th title's), so a caller that reads more of each title
// (underwriting: its custody too) reads it once.
func sumValuations(titleIDs []uint64, valuation func(i int) (calibertypes.Valuation, error)) (math.Int, map[uint64]math.Int, error) {
	total := math.ZeroInt()
	values := make(map[uint64]math.Int, len(titleIDs))
	for i, id := range titleIDs {
		v, err := valuation(i)
		if err != nil {
			return math.Int{}, nil, errorsmod.Wrapf(types.ErrNoValuation, "title %d: %s", id, err)
		}
		if v.Value.IsNil() || !v.Value.IsPositive() {
			return math.Int{}, nil, errorsmod.Wrapf(types.ErrNoValuation, "title %d is valued at zero", id)
		}
		values[id] = v.Value
		total = total.Add(v.Value)
	}
	return total, values, nil
}

// checkInsurance requires, per title, an active policy whose coverage is at
// least min_insurance_bps of the title's value and that runs until maturity.
func (k Keeper) checkInsurance(ctx context.Context, titleIDs []uint64, values map[uint64]math.Int, minBps uint32, maturity time.Time) error {
	if minBps == 0 {
		return nil
	}
	for _, id := range titleIDs {
		p, err := k.caliber.ActivePolicy(ctx, id)
		if err != nil {
			return errorsmod.Wrapf(types.ErrUninsured, "title %d: %s", id, err)
		}
		need := types.BpsOfCeil(values[id], minBps)
		if p.Coverage.LT(need) {
			return errorsmod.Wrapf(types.ErrUninsured, "title %d: coverage %s below %s (%d bps of value %s)", id, p.Coverage, need, minBps, values[id])
		}
		if p.ExpiresAt.Before(maturity) {
			return errorsmod.Wrapf(types.ErrUninsured, "title %d: policy ends %s, before maturity %s", id,
				p.ExpiresAt.Format(time.RFC3339), maturity.Format(time.RFC3339))
		}
	}
	return nil
}

// checkConcentration refuses a new senior amount that would push any bucket
// of the loan above its limit, once the book with the loan reaches
// concentration_min_book.
func (k Keeper) checkConcentration(ctx context.Context, l types.Loan, senior math.Int, params types.Params) error {
	book, err := k.total(ctx, totalSenior)
	if err != nil {
		return err
	}
	book = book.Add(senior)
	if book.LT(params.ConcentrationMinBook) {
		return nil
	}
	limits := map[string]uint32{
		types.ExposureBorrower:  params.MaxBorrowerConcentrationBps,
		types.ExposureClass:     params.MaxClassConcentrationBps,
		types.ExposureCustodian: params.MaxCustodianConcentrationBps,
	}
	for _, b := range buckets(l) {
		have, err := k.exposure(ctx, b.K1(), b.K2())
		if err != nil {
			return err
		}
		after := have.Add(senior)
		limit := limits[b.K1()]
		if after.MulRaw(types.BpsDenominator).GT(book.MulRaw(int64(limit))) {
			return errorsmod.Wrapf(types.ErrConcentration, "%s %s would hold %s of a senior book of %s (limit %d bps)",
				b.K1(), b.K2(), after, book, limit)
		}
	}
	return nil
}

// UnderwriteLoan funds a PENDING loan. The curator (an active CURATOR) sets
// the APR within the product range and pays junior >= min_first_loss_bps of
// principal; then every check runs (valuation and LTV, insurance, custody,
// concentration, vault liquidity, disbursement). The liquidity check is the
// vault's funding of the senior part, in its place among the checks; then the
// borrower receives principal − origination fee − DSR. On failure the error
// names the check and nothing changes (the loan stays PENDING, its principal
// still committed, the vault's funding reverted).
//
// The loan's own commitment is released before the checks, so the vault
// liquidity check sees the fundable liquidity without it but with every other
// PENDING loan's commitment.
func (k Keeper) UnderwriteLoan(ctx context.Context, curator sdk.AccAddress, loanID uint64, apr math.LegacyDec, junior math.Int) (math.Int, error) {
	return k.underwriteLoan(ctx, atomically, curator, loanID, apr, junior)
}

// underwriteLoan is UnderwriteLoan with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) underwriteLoan(ctx context.Context, branch keeperutil.Branch, curator sdk.AccAddress, loanID uint64, apr math.LegacyDec, junior math.Int) (math.Int, error) {
	var disbursed math.Int
	err := branch(ctx, func(ctx context.Context) error {
		l, err := k.GetLoan(ctx, loanID)
		if err != nil {
			return err
		}
		if l.Status == types.LoanPending {
			if err := k.yield.ReleaseFunding(ctx, l.Principal); err != nil {
				return err
			}
		}
		disbursed, err = k.underwrite(ctx, curator, l, apr, junior)
		return err
	})
	if err != nil {
		return math.Int{}, err
	}
	return disbursed, nil
}

// underwrite runs UnderwriteLoan's checks and funding of loan l, as stored,
// once its own commitment is released.
func (k Keeper) underwrite(ctx context.Context, curator sdk.AccAddress, l types.Loan, apr math.LegacyDec, junior math.Int) (math.Int, error) {
	if !k.caliber.HasRole(ctx, curator, calibertypes.RoleCurator) {
		return math.Int{}, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not an active CURATOR party", curator)
	}
	if err := types.CheckPositive("junior_amount", junior); err != nil {
		return math.Int{}, err
	}
	if l.Status != types.LoanPending {
		return math.Int{}, errorsmod.Wrapf(types.ErrInvalidLoanStatus, "loan %d is %s, not PENDING", l.Id, l.Status)
	}
	product, err := k.GetProduct(ctx, l.ProductId)
	if err != nil {
		return math.Int{}, err
	}
	if !product.Enabled {
		return math.Int{}, errorsmod.Wrapf(types.ErrProductDisabled, "product %q", product.Id)
	}
	if apr.IsNil() || apr.LT(product.AprMin) || apr.GT(product.AprMax) {
		return math.Int{}, errorsmod.Wrapf(types.ErrAPROutOfRange, "apr %v outside [%v, %v]", apr, product.AprMin, product.AprMax)
	}
	minJunior := types.BpsOfCeil(l.Principal, product.MinFirstLossBps)
	if junior.LT(minJunior) {
		return math.Int{}, errorsmod.Wrapf(types.ErrJuniorTooLow, "junior %s below %s (%d bps of %s)", junior, minJunior, product.MinFirstLossBps, l.Principal)
	}
	if junior.GTE(l.Principal) {
		return math.Int{}, errorsmod.Wrapf(types.ErrInvalidAmount, "junior %s must be below principal %s", junior, l.Principal)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}

	now := blockTime(ctx)
	maturity := now.Add(product.Duration)
	// Each title is read once for its value and its custody (Collateral);
	// the checks keep their order: value, LTV, insurance, then custody.
	views := make([]calibertypes.CollateralView, len(l.TitleIds))
	for i, id := range l.TitleIds {
		views[i] = k.caliber.Collateral(ctx, id)
	}
	value, values, err := sumValuations(l.TitleIds, func(i int) (calibertypes.Valuation, error) { return views[i].Valuation, views[i].ValuationErr })
	if err != nil {
		return math.Int{}, err
	}
	ltv := types.LTV(l.Principal, value)
	if ltv.GT(product.MaxLtv) {
		return math.Int{}, errorsmod.Wrapf(types.ErrLTVExceeded, "ltv %s above %s (principal %s, value %s)", ltv, product.MaxLtv, l.Principal, value)
	}
	if err := k.checkInsurance(ctx, l.TitleIds, values, product.MinInsuranceBps, maturity); err != nil {
		return math.Int{}, err
	}
	for i, id := range l.TitleIds {
		if views[i].StaleErr != nil {
			return math.Int{}, views[i].StaleErr
		}
		if views[i].Stale {
			return math.Int{}, errorsmod.Wrapf(types.ErrCustodyStale, "title %d", id)
		}
	}
	senior := l.Principal.Sub(junior)
	if err := k.checkConcentration(ctx, l, senior, params); err != nil {
		return math.Int{}, err
	}
	terms := product.Terms()
	// The liquidity check is FundSenior's own (it refuses above the vault's
	// fundable liquidity), run here, in the check order: it reads the vault
	// once where a separate check read it twice. No cache branch of its own:
	// UnderwriteLoan runs all of this in one, so a later check or transfer
	// that fails reverts the funding, the released commitment and the rest.
	pos, err := k.yield.FundSenior(ctx, types.ModuleName, senior, types.SeniorRate(apr, terms.FirstLossPremiumBps))
	if errors.Is(err, yieldtypes.ErrInsufficientLiquidity) {
		return math.Int{}, errorsmod.Wrapf(types.ErrInsufficientLiquidity, "senior part %s: %s", senior, err)
	}
	if err != nil {
		return math.Int{}, err
	}

	n := terms.PaymentsTotal
	interestDue, principalDue := types.Installment(terms.Schedule, l.Principal, apr, terms.RepaymentInterval, n)
	firstPayment := interestDue.Add(principalDue)
	dsr := firstPayment.MulRaw(int64(product.DebtServiceReservePeriods))
	fee := types.BpsOfCeil(l.Principal, product.OriginationFeeBps)
	disbursed := l.Principal.Sub(fee).Sub(dsr)
	if !disbursed.IsPositive() {
		return math.Int{}, errorsmod.Wrapf(types.ErrDisbursementTooSmall, "principal %s, origination fee %s, reserve %s", l.Principal, fee, dsr)
	}

	err = func() error {
		if err := k.modules.FromAccount(ctx, curator, types.ModuleName, usdai(junior)); err != nil {
			return err
		}
		if fee.IsPositive() {
			if err := k.modules.FromModule(ctx, types.ModuleName, FeeCollector, usdai(fee)); err != nil {
				return err
			}
		}
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(l.Borrower), usdai(disbursed)); err != nil {
			return err
		}
		if err := k.PendingQueue.Remove(ctx, collections.Join(l.PendingExpiresAt, l.Id)); err != nil {
			return err
		}
		l.Status, l.Curator, l.Apr, l.JuniorAmount = types.LoanActive, curator.String(), apr, junior
		l.FundedAt, l.Maturity, l.Terms, l.Senior, l.JuniorPrincipal = now, maturity, terms, pos, junior
		l.PaymentsRemaining, l.NextDueTime, l.AccruedSince = n, now.Add(terms.RepaymentInterval), now
		l.InterestDue, l.PrincipalDue, l.Dsr = interestDue, principalDue, dsr
		// Revenue is measured from funding: what the lockbox already holds
		// pays installments but is no period's revenue.
		l.ScheduledDebtService, l.LockboxBaseline = firstPayment, k.LockboxValue(ctx, l.Id)
		if err := k.DueQueue.Set(ctx, collections.Join(l.NextDueTime, l.Id)); err != nil {
			return err
		}
		if err := k.addExposure(ctx, l, pos.Balance); err != nil {
			return err
		}
		if err := k.enterPerforming(ctx, l); err != nil {
			return err
		}
		if err := k.addTotal(ctx, totalJunior, junior); err != nil {
			return err
		}
		if err := k.addTotal(ctx, totalDSR, dsr); err != nil {
			return err
		}
		if err := k.setLoan(ctx, l, types.LoanPending); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventLoanFunded{
			LoanId: l.Id, Borrower: l.Borrower, Curator: l.Curator, Apr: apr, Principal: l.Principal,
			SeniorAmount: senior, JuniorAmount: junior, OriginationFee: fee, Dsr: dsr, Disbursed: disbursed,
			Ltv: ltv, NextDueTime: l.NextDueTime, FirstPayment: firstPayment,
		})
	}()
	if err != nil {
		return math.Int{}, err
	}
	return disbursed, nil
}

// Quote is the most a borrower can borrow against titles under a product now:
// min(Σ value × max_ltv, fundable / (1 − min_first_loss)), with the binding
// constraint. Concentration limits, insurance and custody are checked only at
// underwriting.
func (k Keeper) Quote(ctx context.Context, productID string, titleIDs []uint64) (*types.QueryQuoteResponse, error) {
	product, err := k.GetProduct(ctx, productID)
	if err != nil {
		return nil, err
	}
	if len(titleIDs) == 0 {
		return nil, errorsmod.Wrap(types.ErrInvalidTitles, "title_ids must not be empty")
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if uint32(len(titleIDs)) > params.MaxTitlesPerLoan {
		return nil, errorsmod.Wrapf(types.ErrInvalidTitles, "at most %d titles", params.MaxTitlesPerLoan)
	}
	for _, id := range titleIDs {
		t, err := k.caliber.GetTitle(ctx, id)
		if err != nil {
			return nil, err
		}
		if !product.AllowsClass(t.ClassId) {
			return nil, errorsmod.Wrapf(types.ErrClassNotAllowed, "title %d is %s", id, t.ClassId)
		}
	}
	value, _, err := k.collateralValue(ctx, titleIDs)
	if err != nil {
		return nil, err
	}
	fundable, err := k.yield.Fundable(ctx)
	if err != nil {
		return nil, err
	}
	res := &types.QueryQuoteResponse{
		CollateralValue: value,
		LtvLimit:        types.MaxByLTV(value, product.MaxLtv),
		LiquidityLimit:  types.MaxByLiquidity(fundable, product.MinFirstLossBps),
	}
	res.MaxPrincipal, res.Binding = res.LtvLimit, "ltv"
	if res.LiquidityLimit.LT(res.LtvLimit) {
		res.MaxPrincipal, res.Binding = res.LiquidityLimit, "liquidity"
	}
	return res, nil
}
