package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// GetAuction returns an auction or ErrAuctionNotFound.
func (k Keeper) GetAuction(ctx context.Context, id uint64) (types.Auction, error) {
	a, err := k.Auctions.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return types.Auction{}, errorsmod.Wrapf(types.ErrAuctionNotFound, "auction %d", id)
	}
	return a, err
}

// CurrentPrice is what a bid on the auction pays at now: the falling price
// of the first round, the floor after a reset or during the recovery sale
// of an unsold lot, zero once closed.
func CurrentPrice(a types.Auction, now time.Time) math.Int {
	switch a.Status {
	case types.AuctionOpen:
		return types.AuctionPrice(a.TopPrice, a.FloorRatio, a.Duration, now.Sub(a.RoundStart), a.Resets)
	case types.AuctionUnsold:
		return a.FloorRatio.MulInt(a.TopPrice).TruncateInt()
	}
	return math.ZeroInt()
}

// startForeclosure defaults a loan and puts its titles up for auction: late
// interest stops, the vault's claim is impaired at the expected recovery,
// the titles go FORECLOSING, and a Dutch auction opens at value ×
// start_multiplier (value = Σ title valuations now, or the debt when no title
// is valued). The loan is FORECLOSING until the lot sells or is written off.
func (k Keeper) startForeclosure(ctx context.Context, l types.Loan, reason string) error {
	from := l.Status
	now := blockTime(ctx)
	l.LateInterest, l.LateSince = lateInterest(l, now), now
	if err := k.DueQueue.Remove(ctx, collections.Join(l.NextDueTime, l.Id)); err != nil {
		return err
	}
	if err := k.leavePerforming(ctx, &l); err != nil {
		return err
	}
	wd, err := k.impair(ctx, &l)
	if err != nil {
		return err
	}
	value, values := k.appraise(ctx, l.TitleIds)
	reference := value
	if !reference.IsPositive() {
		reference = l.Outstanding().Add(l.InterestDue).Add(l.LateInterest)
	}
	terms := l.Terms.Auction
	a := types.Auction{
		Id: l.Id, TitleIds: l.TitleIds, TitleValues: values, ReferenceValue: reference,
		TopPrice: terms.StartMultiplier.MulInt(reference).TruncateInt(), FloorRatio: terms.FloorRatio,
		Duration: terms.Duration, RoundStart: now, EndsAt: now.Add(terms.Duration), MaxResets: terms.MaxResets,
		Status: types.AuctionOpen, PricePaid: math.ZeroInt(), CasualtyProceeds: math.ZeroInt(),
		Waterfall: emptyWaterfall(), Recovered: math.ZeroInt(), StartedAt: now,
	}
	for _, id := range l.TitleIds {
		if err := k.caliber.StartForeclosure(ctx, id); err != nil {
			return err
		}
	}
	l.Status, l.DefaultReason = types.LoanForeclosing, reason
	if err := keeperutil.Emit(ctx, &types.EventLoanDefaulted{LoanId: l.Id, Reason: reason, WriteDown: wd}); err != nil {
		return err
	}
	if len(l.TitleIds) == 0 {
		// Nothing left to sell (every title was lost): settle at once.
		a.Status, a.ClosedAt = types.AuctionSold, now
		if err := k.settle(ctx, &l, &a, math.ZeroInt(), math.ZeroInt(), types.LoanLiquidated); err != nil {
			return err
		}
		if err := k.Auctions.Set(ctx, a.Id, a); err != nil {
			return err
		}
		return k.setLoan(ctx, l, from)
	}
	if err := k.setDeadline(ctx, &l, a.EndsAt); err != nil {
		return err
	}
	if err := k.Auctions.Set(ctx, a.Id, a); err != nil {
		return err
	}
	if err := k.setLoan(ctx, l, from); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventAuctionStarted{Auction: a})
}

func emptyWaterfall() types.Waterfall {
	z := math.ZeroInt()
	return types.Waterfall{
		SaleProceeds: z, Insurance: z, Casualty: z, Reserve: z, LiquidationFee: z,
		SeniorPrincipal: z, SeniorInterest: z, JuniorPrincipal: z, JuniorInterest: z,
		Surplus: z, SeniorLoss: z, JuniorLoss: z, Lockbox: z,
	}
}

// auctionRoundEnded: an auction round passed unsold. It restarts at the
// floor price while resets remain; then the loan is written off: each
// title's value insurance pays as for a sale at zero, the titles go to the
// foreclosed-asset account, and the shortfall is recognized. The lot stays
// buyable at the floor price (a recovery sale).
func (k Keeper) auctionRoundEnded(ctx context.Context, l types.Loan) error {
	a, err := k.GetAuction(ctx, l.Id)
	if err != nil {
		return err
	}
	if a.Status != types.AuctionOpen {
		return nil
	}
	now := blockTime(ctx)
	if a.Resets < a.MaxResets {
		a.Resets++
		a.RoundStart, a.EndsAt = now, now.Add(a.Duration)
		if err := k.setDeadline(ctx, &l, a.EndsAt); err != nil {
			return err
		}
		if err := k.Auctions.Set(ctx, a.Id, a); err != nil {
			return err
		}
		if err := k.Loans.Set(ctx, l.Id, l); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventAuctionReset{AuctionId: a.Id, Resets: a.Resets, Price: CurrentPrice(a, now), EndsAt: a.EndsAt})
	}
	unsold := make([]math.Int, len(a.TitleIds))
	for i := range unsold {
		unsold[i] = math.ZeroInt()
	}
	insurance, err := k.handOver(ctx, a, unsold, k.foreclosed)
	if err != nil {
		return err
	}
	a.Status = types.AuctionUnsold
	if err := k.settle(ctx, &l, &a, math.ZeroInt(), insurance, types.LoanWrittenOff); err != nil {
		return err
	}
	if err := k.Auctions.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return k.setLoan(ctx, l, types.LoanForeclosing)
}

// handOver pays each title's value-insurance claim for its share of the sale
// price and transfers the FORECLOSING titles to newOwner. It returns the
// claims paid.
func (k Keeper) handOver(ctx context.Context, a types.Auction, shares []math.Int, newOwner sdk.AccAddress) (math.Int, error) {
	total := math.ZeroInt()
	for i, id := range a.TitleIds {
		claim, err := k.caliber.PayValueClaim(ctx, id, shares[i], types.ModuleName)
		switch {
		case errorsmod.IsOf(err, calibertypes.ErrPolicyNotFound):
			claim = math.ZeroInt()
		case err != nil:
			return math.Int{}, err
		}
		total = total.Add(claim)
		if err := k.caliber.TransferForeclosed(ctx, id, newOwner); err != nil {
			return math.Int{}, err
		}
	}
	return total, nil
}

// Bid buys an auction's lot at the current price when that is at most
// maxPrice: the bidder pays in USDai and receives the titles (ACTIVE, theirs
// to keep, transfer or redeem through x/caliber). An OPEN auction's sale pays
// the value-insurance claims and settles the loan through the waterfall; a
// written-off lot's sale is a recovery.
func (k Keeper) Bid(ctx context.Context, bidder sdk.AccAddress, auctionID uint64, maxPrice sdk.Coin) (math.Int, []uint64, error) {
	return k.bid(ctx, atomically, bidder, auctionID, maxPrice)
}

// bid is Bid with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) bid(ctx context.Context, branch keeperutil.Branch, bidder sdk.AccAddress, auctionID uint64, maxPrice sdk.Coin) (math.Int, []uint64, error) {
	if maxPrice.Denom != types.Denom {
		return math.Int{}, nil, errorsmod.Wrapf(types.ErrInvalidDenom, "bids are in %s, got %q", types.Denom, maxPrice.Denom)
	}
	a, err := k.GetAuction(ctx, auctionID)
	if err != nil {
		return math.Int{}, nil, err
	}
	now := blockTime(ctx)
	switch {
	case a.Status == types.AuctionOpen && now.Before(a.EndsAt), a.Status == types.AuctionUnsold:
	case a.Status == types.AuctionOpen:
		return math.Int{}, nil, errorsmod.Wrapf(types.ErrAuctionClosed, "auction %d round ended at %s; it resets or is written off at the end of this block",
			a.Id, a.EndsAt.Format(time.RFC3339))
	default:
		return math.Int{}, nil, errorsmod.Wrapf(types.ErrAuctionClosed, "auction %d is %s", a.Id, a.Status)
	}
	price := CurrentPrice(a, now)
	if maxPrice.Amount.LT(price) {
		return math.Int{}, nil, errorsmod.Wrapf(types.ErrBidTooLow, "max price %s%s below the current price %s%s", maxPrice.Amount, types.Denom, price, types.Denom)
	}
	l, err := k.GetLoan(ctx, a.Id)
	if err != nil {
		return math.Int{}, nil, err
	}
	err = branch(ctx, func(ctx context.Context) error {
		if price.IsPositive() {
			if err := k.modules.FromAccount(ctx, bidder, types.ModuleName, usdai(price)); err != nil {
				return err
			}
		}
		a.Buyer, a.PricePaid, a.ClosedAt = bidder.String(), price, now
		if err := keeperutil.Emit(ctx, &types.EventAuctionSold{AuctionId: a.Id, Buyer: a.Buyer, Price: price, TitleIds: a.TitleIds}); err != nil {
			return err
		}
		if a.Status == types.AuctionUnsold {
			return k.recoverySale(ctx, l, &a, bidder, price)
		}
		insurance, err := k.handOver(ctx, a, types.Apportion(price, a.TitleValues), bidder)
		if err != nil {
			return err
		}
		a.Status = types.AuctionSold
		if err := k.settle(ctx, &l, &a, price, insurance, types.LoanLiquidated); err != nil {
			return err
		}
		if err := k.Auctions.Set(ctx, a.Id, a); err != nil {
			return err
		}
		return k.setLoan(ctx, l, types.LoanForeclosing)
	})
	if err != nil {
		return math.Int{}, nil, err
	}
	return price, a.TitleIds, nil
}

// recoverySale sells a written-off lot: the titles move from the
// foreclosed-asset account to the bidder and the price goes to the vault up
// to its loss, then to the curator up to the junior loss, then to the borrower.
func (k Keeper) recoverySale(ctx context.Context, l types.Loan, a *types.Auction, bidder sdk.AccAddress, price math.Int) error {
	for _, id := range a.TitleIds {
		if err := k.caliber.TransferTitle(ctx, k.foreclosed, id, bidder); err != nil {
			return err
		}
	}
	rem := price
	toVault := math.MinInt(rem, a.Waterfall.SeniorLoss)
	rem = rem.Sub(toVault)
	toCurator := math.MinInt(rem, a.Waterfall.JuniorLoss)
	toBorrower := rem.Sub(toCurator)
	if toVault.IsPositive() {
		if err := k.yield.Recover(ctx, types.ModuleName, toVault); err != nil {
			return err
		}
	}
	if err := k.pay(ctx, l.Curator, toCurator); err != nil {
		return err
	}
	if err := k.pay(ctx, l.Borrower, toBorrower); err != nil {
		return err
	}
	a.Status, a.Recovered = types.AuctionRecovered, price
	if err := k.Auctions.Set(ctx, a.Id, *a); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventRecovery{
		AuctionId: a.Id, Buyer: bidder.String(), Price: price, ToVault: toVault, ToCurator: toCurator, ToBorrower: toBorrower,
	})
}

// pay sends amount (if positive) from the module account to addr.
func (k Keeper) pay(ctx context.Context, addr string, amount math.Int) error {
	if !amount.IsPositive() {
		return nil
	}
	return k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(addr), usdai(amount))
}

// settle pays out a foreclosed loan. Proceeds = sale + value-insurance
// claims + casualty claims received while foreclosing + the DSR + the
// lockbox's USDai (its reserves converted when the PSM accepts); they go
// through the waterfall: liquidation fee to protocol_fees, senior principal
// and interest to the vault, junior principal and interest to the curator,
// the surplus to the borrower. The senior principal left unpaid is written
// off (the vault's NAV loss); the junior loss is what the curator does not
// get back. The loan closes with status; the caller stores loan and auction.
func (k Keeper) settle(ctx context.Context, l *types.Loan, a *types.Auction, sale, insurance math.Int, status types.LoanStatus) error {
	reserve := l.Dsr
	lockbox, err := k.takeForWaterfall(ctx, l)
	if err != nil {
		return err
	}
	proceeds := sale.Add(insurance).Add(a.CasualtyProceeds).Add(reserve).Add(lockbox)
	seniorBal, juniorBal := l.Senior.Balance, l.JuniorPrincipal
	si, ji, _ := types.SplitInterest(l.LateInterest.Add(l.InterestDue), seniorBal, juniorBal, l.Terms.FirstLossPremiumBps)
	w := types.PayWaterfall(proceeds, l.Terms.LiquidationFeeBps, types.Claims{
		SeniorPrincipal: seniorBal, SeniorInterest: si, JuniorPrincipal: juniorBal, JuniorInterest: ji,
	})
	w.SaleProceeds, w.Insurance, w.Casualty, w.Reserve, w.Lockbox = sale, insurance, a.CasualtyProceeds, reserve, lockbox
	if w.LiquidationFee.IsPositive() {
		if err := k.modules.FromModule(ctx, types.ModuleName, FeeCollector, usdai(w.LiquidationFee)); err != nil {
			return err
		}
	}
	pos := l.Senior
	if w.SeniorPrincipal.IsPositive() || w.SeniorInterest.IsPositive() {
		var err error
		if pos, err = k.yield.ReceiveSenior(ctx, types.ModuleName, pos, w.SeniorPrincipal, w.SeniorInterest); err != nil {
			return err
		}
	}
	if pos.Balance.IsPositive() {
		loss, err := k.yield.WriteOff(ctx, pos)
		if err != nil {
			return err
		}
		if !loss.Equal(w.SeniorLoss) {
			return errorsmod.Wrapf(types.ErrInvalidAmount, "vault wrote off %s, waterfall senior loss %s", loss, w.SeniorLoss)
		}
	}
	if err := k.pay(ctx, l.Curator, w.JuniorPrincipal.Add(w.JuniorInterest)); err != nil {
		return err
	}
	if err := k.pay(ctx, l.Borrower, w.Surplus); err != nil {
		return err
	}
	if err := k.addExposure(ctx, *l, seniorBal.Neg()); err != nil {
		return err
	}
	if err := k.addTotal(ctx, totalJunior, juniorBal.Neg()); err != nil {
		return err
	}
	if err := k.addTotal(ctx, totalDSR, reserve.Neg()); err != nil {
		return err
	}
	if err := k.leavePerforming(ctx, l); err != nil {
		return err
	}
	zero := math.ZeroInt()
	l.Senior.Balance, l.Senior.WriteDown, l.Senior.Impaired = zero, zero, false
	l.JuniorPrincipal, l.Dsr, l.InterestDue, l.PrincipalDue, l.LateInterest = zero, zero, zero, zero, zero
	l.PrincipalPaid = l.PrincipalPaid.Add(w.SeniorPrincipal).Add(w.JuniorPrincipal)
	l.InterestPaid = l.InterestPaid.Add(w.SeniorInterest).Add(w.JuniorInterest)
	l.PaymentsRemaining, l.Status, l.ClosedAt = 0, status, blockTime(ctx)
	a.Waterfall, a.CasualtyProceeds = w, zero
	if a.ClosedAt.IsZero() {
		a.ClosedAt = l.ClosedAt
	}
	return keeperutil.Emit(ctx, &types.EventLoanSettled{LoanId: l.Id, Status: status, Waterfall: w})
}
