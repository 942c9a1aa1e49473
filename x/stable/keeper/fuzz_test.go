package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/fuzzutil"
	"github.com/infrafi/infrafi/x/stable/types"
)

// FuzzMsgServer sends one x/stable message built from fuzzed fields, from a
// fuzzed signer, after alice minted 100 USDai from uusdc and bob 50 from
// upyusd, in a fuzzed mode (paused, permissioned with alice allowlisted,
// fx/uusdc price). The msg server must succeed or return a registered error,
// never panic, write nothing on error (raw stores of auth, bank and x/stable)
// and keep the invariants, USDai supply == reserves held, on success.
func FuzzMsgServer(f *testing.F) {
	f.Add(uint8(0), uint8(1), uint8(0), []byte{0, 0x05, 0xf5, 0xe1, 0}, uint8(0), uint32(10), "")
	f.Add(uint8(1), uint8(1), uint8(0), []byte{0, 0x02, 0xfa, 0xf0, 0x80}, uint8(0), uint32(10), "")
	f.Add(uint8(1), uint8(2), uint8(1), []byte{0, 0x02, 0xfa, 0xf0, 0x80}, uint8(2), uint32(0), "")
	f.Add(uint8(2), uint8(0), uint8(0), []byte{0, 1}, uint8(0), uint32(5), "")
	f.Add(uint8(3), uint8(0), uint8(0), []byte{}, uint8(0), uint32(2), "")
	f.Add(uint8(0), uint8(2), uint8(0), []byte{0, 1, 0}, uint8(6), uint32(0), "")
	f.Fuzz(func(t *testing.T, op, signerSel, denomSel uint8, amountB []byte, mode uint8, n uint32, raw string) {
		fx := setup(t)
		fx.mustMint(alice, coin(usdc, 100_000_000))
		fx.mustMint(bob, coin(pyusd, 50_000_000))
		fx.setParams(func(p *types.Params) {
			p.Paused = mode&1 != 0
			p.Permissioned = mode&2 != 0
		})
		if mode&2 != 0 {
			_, err := fx.msgs.UpdateAllowlist(fx.ctx, &types.MsgUpdateAllowlist{Authority: authority.String(), Add: []string{alice.String()}})
			require.NoError(t, err)
		}
		switch mode >> 2 % 4 {
		case 1:
			fx.setPrice(fxUSDC, "0.5", true)
		case 2:
			fx.setPrice(fxUSDC, "0.5", false)
		case 3:
			fx.setPrice(fxUSDC, "1", true)
		}

		signer := fuzzutil.Pick(signerSel, authority.String(), alice.String(), bob.String(), custodian.String(), raw)
		denom := fuzzutil.Pick(denomSel, usdc, pyusd, dai, usdai, types.SUSDaiDenom, "uother", raw)
		amount := fuzzutil.Int(amountB)

		// Through a branch, as a transaction runs it: the msg server leaves a
		// refused message's writes to the transaction to drop (keeperutil.InTx).
		err := fuzzutil.Deliver(fx.ctx, func(ctx sdk.Context) (err error) {
			switch op % 4 {
			case 0:
				_, err = fx.msgs.Mint(ctx, &types.MsgMint{Sender: signer, Amount: sdk.Coin{Denom: denom, Amount: amount}})
			case 1:
				_, err = fx.msgs.Redeem(ctx, &types.MsgRedeem{Sender: signer, Amount: sdk.Coin{Denom: usdai, Amount: amount}, ReserveDenom: denom})
			case 2:
				p := testParams()
				p.Reserves[n%3].MintFeeBps, p.Reserves[n%3].Cap = n, amount
				p.SupplyCap = amount
				_, err = fx.msgs.UpdateParams(ctx, &types.MsgUpdateParams{Authority: signer, Params: p})
			case 3:
				addrs := []string{bob.String(), raw, custodian.String()}[:n%3+1]
				_, err = fx.msgs.UpdateAllowlist(ctx, &types.MsgUpdateAllowlist{Authority: signer, Add: addrs[:len(addrs)/2], Remove: addrs[len(addrs)/2:]})
			}
			return err
		})
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err != nil {
			return
		}
		fx.requireInvariants()
	})
}
