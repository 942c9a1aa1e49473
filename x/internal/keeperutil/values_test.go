package keeperutil_test

import (
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// TestCollValue: keeperutil.CollValue encodes exactly the bytes
// codec.CollValue does (a loan with amounts, times and nested messages, and
// an empty message) and decodes them back to the same value.
func TestCollValue(t *testing.T) {
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	loan := lendingtypes.Loan{
		Id: 7, Borrower: "infra1borrower", ProductId: "gpu-senior", TitleIds: []uint64{3, 4},
		Principal: math.NewInt(123_456_789), Status: lendingtypes.LoanActive, CreatedAt: at,
		Apr: math.LegacyMustNewDecFromStr("0.1525"), JuniorAmount: math.NewInt(5),
		Senior:          yieldtypes.SeniorPosition{Balance: math.NewInt(99), Rate: math.LegacyMustNewDecFromStr("0.12"), Since: at, WriteDown: math.ZeroInt()},
		JuniorPrincipal: math.ZeroInt(), InterestDue: math.NewInt(1), PrincipalDue: math.NewInt(2),
		Dsr: math.ZeroInt(), InterestPaid: math.ZeroInt(), PrincipalPaid: math.ZeroInt(), LateInterest: math.ZeroInt(),
	}
	sdkLoan, ours := codec.CollValue[lendingtypes.Loan](cdc), keeperutil.CollValue[lendingtypes.Loan](cdc)
	want, err := sdkLoan.Encode(loan)
	require.NoError(t, err)
	got, err := ours.Encode(loan)
	require.NoError(t, err)
	require.Equal(t, want, got)
	back, err := ours.Decode(got)
	require.NoError(t, err)
	require.Equal(t, loan.Principal, back.Principal)
	again, err := ours.Encode(back)
	require.NoError(t, err)
	require.Equal(t, got, again)
	require.Equal(t, sdkLoan.ValueType(), ours.ValueType())

	empty, err := keeperutil.CollValue[yieldtypes.VaultState](cdc).Encode(yieldtypes.VaultState{})
	require.NoError(t, err)
	sdkEmpty, err := codec.CollValue[yieldtypes.VaultState](cdc).Encode(yieldtypes.VaultState{})
	require.NoError(t, err)
	require.Equal(t, sdkEmpty, empty)
	require.NotNil(t, empty) // a store refuses a nil value
}
