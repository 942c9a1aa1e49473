package app_test

import (
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/app"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// benchLoanPrincipal is the principal of the loans the request-loan and
// underwrite benchmarks make: small, so that thousands of them fit in the
// vault's liquidity (the work per loan does not depend on the amount).
const (
	benchLoanPrincipal = 1_000 * benchUSD
	benchLoanJunior    = 100 * benchUSD
)

// loanPool supplies the lending benchmarks' collateral, written untimed
// before each block (a block's own commit must not pay for it): insured
// titles owned by the signers, for request-loan, and PENDING loans of the
// book's borrower, for underwrite.
type loanPool struct {
	bk      *benchBook
	serial  int
	titles  map[string][]uint64 // ready titles by owner
	pending []uint64
}

func newLoanPool(bk *benchBook) *loanPool {
	return &loanPool{bk: bk, titles: map[string][]uint64{}}
}

// fund mints the USDai that count more titles need: the insurer's pool
// coverage, the owner's premiums, and twice the loans' principal deposited
// in the vault (a PENDING loan commits the vault's liquidity to its senior
// part, and the vault keeps a liquidity buffer on top).
func (p *loanPool) fund(ctx sdk.Context, owner sdk.AccAddress, count int) {
	bk := p.bk
	mint := func(to sdk.AccAddress, usdai int64) {
		_, err := bk.stable.Mint(ctx, &stabletypes.MsgMint{Sender: to.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, sdkmath.NewInt(usdai).MulRaw(int64(count)))})
		require.NoError(bk.tb, err)
	}
	insurer, funder := bk.acc(bkInsurer).Address, bk.acc(bkFunder).Address
	mint(insurer, bookCoverage)
	mint(owner, bookPremium)
	mint(funder, 2*benchLoanPrincipal)
	_, err := bk.yield.Deposit(ctx, &yieldtypes.MsgDeposit{
		Depositor: funder.String(), Amount: sdk.NewCoin(app.USDaiDenom, sdkmath.NewInt(2*benchLoanPrincipal).MulRaw(int64(count))),
	})
	require.NoError(bk.tb, err)
	_, err = bk.caliber.FundInsurancePool(ctx, &calibertypes.MsgFundInsurancePool{
		Insurer: insurer.String(), Amount: sdkmath.NewInt(bookCoverage).MulRaw(int64(count)),
	})
	require.NoError(bk.tb, err)
}

// readyTitles gives each signer at least perSigner ready titles.
func (p *loanPool) readyTitles(signers []*benchSigner, perSigner int) {
	bk := p.bk
	ctx, flush := bk.writeCtx().CacheContext()
	wrote := false
	for _, s := range signers {
		owner := s.acc.Address
		missing := perSigner - len(p.titles[owner.String()])
		if missing <= 0 {
			continue
		}
		p.fund(ctx, owner, missing)
		for range missing {
			p.serial++
			p.titles[owner.String()] = append(p.titles[owner.String()], bk.writeTitle(ctx, owner, fmt.Sprintf("LP%08d", p.serial)))
		}
		wrote = true
	}
	if wrote {
		flush()
		bk.NextBlock(time.Second)
	}
}

// title pops one of owner's ready titles.
func (p *loanPool) title(owner sdk.AccAddress) uint64 {
	ts := p.titles[owner.String()]
	require.NotEmpty(p.bk.tb, ts, "no ready title for %s", owner)
	p.titles[owner.String()] = ts[1:]
	return ts[0]
}

// pendingLoans makes at least n PENDING loans of the book's borrower.
func (p *loanPool) pendingLoans(n int) {
	missing := n - len(p.pending)
	if missing <= 0 {
		return
	}
	bk := p.bk
	borrower := bk.acc(bkBorrower).Address
	ctx, flush := bk.writeCtx().CacheContext()
	p.fund(ctx, borrower, missing)
	for range missing {
		p.serial++
		title := bk.writeTitle(ctx, borrower, fmt.Sprintf("LP%08d", p.serial))
		res, err := bk.lending.RequestLoan(ctx, &lendingtypes.MsgRequestLoan{
			Borrower: borrower.String(), TitleIds: []uint64{title}, ProductId: benchProductID, Principal: sdkmath.NewInt(benchLoanPrincipal),
		})
		require.NoError(bk.tb, err)
		p.pending = append(p.pending, res.LoanId)
	}
	flush()
	bk.NextBlock(time.Second)
}

// loan pops the oldest PENDING loan.
func (p *loanPool) loan() uint64 {
	require.NotEmpty(p.bk.tb, p.pending, "no PENDING loan left")
	id := p.pending[0]
	p.pending = p.pending[1:]
	return id
}
