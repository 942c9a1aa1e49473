package cmd

import (
	"encoding/json"
	"time"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
)

// localnetCustodyMaxAge is short so staleness shows within a demo session.
const localnetCustodyMaxAge = 10 * time.Minute

// localnetParties are the demo keys registered as CALIBER parties, each with
// the role its name says.
var localnetParties = []struct {
	key  string
	name string
	role calibertypes.Role
}{
	{"issuer", "Localnet tokenizing agent", calibertypes.RoleIssuer},
	{"custodian", "Localnet data centre", calibertypes.RoleCustodian},
	{"appraiser", "Localnet appraiser", calibertypes.RoleAppraiser},
	{"insurer", "Localnet insurer", calibertypes.RoleInsurer},
	{"curator", "Localnet first-loss curator", calibertypes.RoleCurator},
	{"treasury", "Localnet treasury custodian", calibertypes.RoleTreasuryCustodian},
}

func localnetDec(s string) sdkmath.LegacyDec { return sdkmath.LegacyMustNewDecFromStr(s) }

// localnetAssetClasses: three GPU generations (the H100 priced by the oracle
// feed gpu/nvidia-h100-sxm5-80gb) and one storage class. Newer GPUs keep value
// longer; storage depreciates faster and lends lower.
var localnetAssetClasses = []calibertypes.AssetClass{
	{
		Id: "nvidia-h100-sxm5-80gb", Kind: calibertypes.AssetKindGPU, Manufacturer: "NVIDIA", Model: "H100 SXM5 80GB",
		MaxLtv: localnetDec("0.70"), DepreciationPerYear: localnetDec("0.20"), ResidualRatio: localnetDec("0.20"),
		MinAppraisals: 1, MarketFeed: "gpu/nvidia-h100-sxm5-80gb", Eligible: true,
	},
	{
		Id: "nvidia-h200-141gb", Kind: calibertypes.AssetKindGPU, Manufacturer: "NVIDIA", Model: "H200 141GB",
		MaxLtv: localnetDec("0.70"), DepreciationPerYear: localnetDec("0.18"), ResidualRatio: localnetDec("0.25"),
		MinAppraisals: 1, Eligible: true,
	},
	{
		Id: "nvidia-b200-192gb", Kind: calibertypes.AssetKindGPU, Manufacturer: "NVIDIA", Model: "B200 192GB",
		MaxLtv: localnetDec("0.65"), DepreciationPerYear: localnetDec("0.15"), ResidualRatio: localnetDec("0.25"),
		MinAppraisals: 1, Eligible: true,
	},
	{
		Id: "nvme-storage-array", Kind: calibertypes.AssetKindStorage, Manufacturer: "Generic", Model: "NVMe all-flash array",
		MaxLtv: localnetDec("0.50"), DepreciationPerYear: localnetDec("0.25"), ResidualRatio: localnetDec("0.10"),
		MinAppraisals: 1, Eligible: true,
	},
}

// localnetCaliberGenesis registers the demo parties and asset classes and
// shortens the custody attestation max age. addr resolves a demo key name.
func localnetCaliberGenesis(cdc codec.Codec, state map[string]json.RawMessage, addr func(name string) sdk.AccAddress) error {
	var gs calibertypes.GenesisState
	if err := cdc.UnmarshalJSON(state[calibertypes.ModuleName], &gs); err != nil {
		return err
	}
	gs.Params.CustodyAttestationMaxAge = localnetCustodyMaxAge
	for _, p := range localnetParties {
		gs.Parties = append(gs.Parties, calibertypes.Party{
			Address: addr(p.key).String(),
			Roles:   []calibertypes.Role{p.role},
			Name:    p.name,
			Active:  true,
		})
	}
	gs.AssetClasses = append(gs.AssetClasses, localnetAssetClasses...)
	if err := gs.Validate(); err != nil {
		return err
	}
	bz, err := cdc.MarshalJSON(&gs)
	if err != nil {
		return err
	}
	state[calibertypes.ModuleName] = bz
	return nil
}
