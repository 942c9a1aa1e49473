//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/testutil/localnet"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

const (
	usdcDenom  = "uusdc"
	usdaiDenom = "uusdai"
	fxUSDCFeed = "fx/uusdc"
	// refusedTxGas lets a tx the chain will refuse skip simulation, so it is
	// committed and refused by the chain itself rather than by the CLI.
	refusedTxGas = "400000"
)

// testStable drives x/stable on the localnet preset (uusdc reserve, 10 bps fees,
// 5M USDC cap, depeg guard at 0.98 on fx/uusdc) through the CLI, REST and gRPC.
func testStable(t *testing.T, network *localnet.Network) {
	// Transactions go to the first node; state is read from the last one.
	txVia, readVia := network.Nodes[0], network.Nodes[len(network.Nodes)-1]
	depositor := network.Key(t, "depositor")

	t.Run("MintProveRedeem", func(t *testing.T) {
		usdcBefore := balance(t, readVia, depositor.Address, usdcDenom)
		usdaiBefore := balance(t, readVia, depositor.Address, usdaiDenom)
		proofBefore := proofOfReserves(t, readVia)

		// 1,000 USDC at 10 bps: 999 USDai to the depositor, 1 to protocol fees.
		res, err := txVia.Tx("stable", "mint", "1000000000"+usdcDenom, "--from", depositor.Name)
		require.NoError(t, err)
		require.NotEmpty(t, eventsOf(res, "infrafi.stable.v1.EventMint"))
		require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))

		require.Equal(t, usdcBefore.SubRaw(1_000_000_000).String(), balance(t, readVia, depositor.Address, usdcDenom).String())
		require.Equal(t, usdaiBefore.AddRaw(999_000_000).String(), balance(t, readVia, depositor.Address, usdaiDenom).String())
		proof := proofOfReserves(t, readVia)
		require.Equal(t, proofBefore.UsdaiSupply.AddRaw(1_000_000_000).String(), proof.UsdaiSupply.String())
		requireFullyBacked(t, proof)

		// The same over gRPC and the CLI, from the other node.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		grpcProof, err := stabletypes.NewQueryClient(txVia.GRPC()).ProofOfReserves(ctx, &stabletypes.QueryProofOfReservesRequest{})
		cancel()
		require.NoError(t, err)
		require.Equal(t, proof.UsdaiSupply.String(), grpcProof.UsdaiSupply.String())
		require.True(t, grpcProof.Ratio.Equal(sdkmath.LegacyOneDec()))
		out, err := txVia.CLI("query", "stable", "fees-collected", "--output", "json")
		require.NoError(t, err)
		var fees struct {
			Balance []struct{ Denom, Amount string } `json:"balance"`
		}
		require.NoError(t, json.Unmarshal(out, &fees))
		require.NotEmpty(t, fees.Balance, "the mint fee reached protocol_fees: %s", out)

		// Redeem 400 USDai at 10 bps: 399.6 USDC back.
		res, err = txVia.Tx("stable", "redeem", "400000000"+usdaiDenom, usdcDenom, "--from", depositor.Name)
		require.NoError(t, err)
		require.NotEmpty(t, eventsOf(res, "infrafi.stable.v1.EventRedeem"))
		require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))
		require.Equal(t, usdcBefore.SubRaw(1_000_000_000-399_600_000).String(), balance(t, readVia, depositor.Address, usdcDenom).String())
		require.Equal(t, usdaiBefore.AddRaw(599_000_000).String(), balance(t, readVia, depositor.Address, usdaiDenom).String())
		proof = proofOfReserves(t, readVia)
		require.Equal(t, proofBefore.UsdaiSupply.AddRaw(1_000_000_000-399_600_000).String(), proof.UsdaiSupply.String())
		requireFullyBacked(t, proof)
	})

	t.Run("MintPastTheCapIsRefused", func(t *testing.T) {
		room := reserveStatus(t, readVia, usdcDenom).CapRemaining
		require.True(t, room.IsPositive())
		over := room.AddRaw(1).String() + usdcDenom
		usdcBefore := balance(t, readVia, depositor.Address, usdcDenom)
		supplyBefore := proofOfReserves(t, readVia).UsdaiSupply

		res, err := txVia.Tx("stable", "mint", over, "--from", depositor.Name, "--gas", refusedTxGas)
		requireRefused(t, res, err, stabletypes.ErrReserveCapExceeded.ABCICode(), "reserve cap exceeded")
		require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))
		require.Equal(t, usdcBefore.String(), balance(t, readVia, depositor.Address, usdcDenom).String())
		require.Equal(t, supplyBefore.String(), proofOfReserves(t, readVia).UsdaiSupply.String())

		// Simulation (the CLI's default --gas auto) refuses it with the same message.
		_, err = txVia.Tx("stable", "mint", over, "--from", depositor.Name)
		require.ErrorContains(t, err, "reserve cap exceeded")
	})

	t.Run("MintRefusedWhileDepegged", func(t *testing.T) {
		// Every validator's price source reports the depeg.
		requirePrice(t, network, readVia, fxUSDCFeed, "0.95")
		st := reserveStatus(t, readVia, usdcDenom)
		require.True(t, st.Depegged, "reserve status %+v", st)
		require.True(t, st.FxPriceValid)
		require.False(t, st.Mintable)

		usdcBefore := balance(t, readVia, depositor.Address, usdcDenom)
		res, err := txVia.Tx("stable", "mint", "1000000"+usdcDenom, "--from", depositor.Name, "--gas", refusedTxGas)
		requireRefused(t, res, err, stabletypes.ErrDepegged.ABCICode(), "uusdc price 0.950000000000000000 from fx/uusdc is below the depeg threshold 0.980000000000000000")
		require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))
		require.Equal(t, usdcBefore.String(), balance(t, readVia, depositor.Address, usdcDenom).String())

		// Back on peg, minting resumes (and the shared network is left as found).
		requirePrice(t, network, readVia, fxUSDCFeed, "1")
		_, err = txVia.Tx("stable", "mint", "1000000"+usdcDenom, "--from", depositor.Name)
		require.NoError(t, err)
		requireFullyBacked(t, proofOfReserves(t, readVia))
	})
}

// proofJSON is the REST form of QueryProofOfReservesResponse.
type proofJSON struct {
	UsdaiSupply   sdkmath.Int       `json:"usdai_supply"`
	ReservesHeld  sdkmath.Int       `json:"reserves_held"`
	TotalReserves sdkmath.Int       `json:"total_reserves"`
	Ratio         sdkmath.LegacyDec `json:"ratio"`
}

func proofOfReserves(t *testing.T, node *localnet.Node) proofJSON {
	t.Helper()
	var p proofJSON
	require.NoError(t, node.RESTGet("/infrafi/stable/v1/proof_of_reserves", &p))
	return p
}

// requireFullyBacked checks the proof of reserves: USDai supply == reserves held.
func requireFullyBacked(t *testing.T, p proofJSON) {
	t.Helper()
	require.Equal(t, p.UsdaiSupply.String(), p.ReservesHeld.String(), "supply == reserves held")
	require.True(t, p.Ratio.Equal(sdkmath.LegacyOneDec()), "ratio %s", p.Ratio)
}

// reserveJSON is the REST form of ReserveStatus (the fields the test reads).
type reserveJSON struct {
	CapRemaining sdkmath.Int `json:"cap_remaining"`
	FxPriceValid bool        `json:"fx_price_valid"`
	Depegged     bool        `json:"depegged"`
	Mintable     bool        `json:"mintable"`
}

func reserveStatus(t *testing.T, node *localnet.Node, denom string) reserveJSON {
	t.Helper()
	var res struct {
		Reserve reserveJSON `json:"reserve"`
	}
	require.NoError(t, node.RESTGet("/infrafi/stable/v1/reserve/"+denom, &res))
	return res.Reserve
}

// requireRefused checks that a tx was committed and refused by x/stable with
// the given code and a message containing want.
func requireRefused(t *testing.T, res *localnet.TxResult, err error, code uint32, want string) {
	t.Helper()
	require.Error(t, err)
	require.NotNil(t, res, "refused before reaching a block: %v", err)
	require.Positive(t, res.Height, "refused at check time: %v", err)
	require.Equal(t, stabletypes.ModuleName, res.Codespace, res.RawLog)
	require.Equal(t, code, res.Code, res.RawLog)
	require.Contains(t, res.RawLog, want)
}

func eventsOf(res *localnet.TxResult, eventType string) []localnet.Event {
	var out []localnet.Event
	for _, ev := range res.Events {
		if strings.EqualFold(ev.Type, eventType) {
			out = append(out, ev)
		}
	}
	return out
}
