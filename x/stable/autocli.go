package stable

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/infrafi/infrafi/x/stable/types"
)

// AutoCLIOptions describes the `infrafid query stable` and `infrafid tx stable` commands.
// Authority messages are gov proposals by default (signer = --from, authority = x/gov);
// --no-proposal sends them directly, for chains whose authority is a plain account.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the stable module parameters (reserves, caps, fees, permissioned, paused)",
					Example:   "infrafid query stable params",
				},
				{
					RpcMethod: "Reserves",
					Use:       "reserves",
					Short:     "List the reserves with held balance, cap, fees, treasury principal and depeg state",
					Example:   "infrafid query stable reserves",
				},
				{
					RpcMethod:      "Reserve",
					Use:            "reserve [denom]",
					Short:          "Show one reserve's held balance, cap, fees, treasury principal and depeg state",
					Example:        "infrafid query stable reserve uusdc",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "denom"}},
				},
				{
					RpcMethod: "ProofOfReserves",
					Use:       "proof-of-reserves",
					Short:     "Compare the USDai supply with the reserves held on chain and at the treasury custodian",
					Example:   "infrafid query stable proof-of-reserves",
				},
				{
					RpcMethod: "Allowlist",
					Use:       "allowlist",
					Short:     "List the addresses allowed to mint and redeem in permissioned mode",
					Example:   "infrafid query stable allowlist --page-limit 50",
				},
				{
					RpcMethod:      "Allowlisted",
					Use:            "allowlisted [address]",
					Short:          "Tell whether an address is allowlisted (and whether the module is permissioned)",
					Example:        "infrafid query stable allowlisted infra1...",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{
					RpcMethod: "FeesCollected",
					Use:       "fees-collected",
					Short:     "Show the balance of the protocol fee collector account (protocol_fees)",
					Example:   "infrafid query stable fees-collected",
				},
				{
					RpcMethod: "OutflowUsage",
					Use:       "outflow-usage [channel] [denom]",
					Short:     "Show a denom's IBC outflow quota on a channel: rolling net outflow, limit and what may still leave",
					Example:   "infrafid query stable outflow-usage channel-0 uusdai",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "channel"}, {ProtoField: "denom"},
					},
				},
				{
					RpcMethod: "OutflowUsages",
					Use:       "outflow-usages",
					Short:     "List the IBC outflow quota usage of every channel and denom that has moved",
					Example:   "infrafid query stable outflow-usages --limit 10",
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Mint",
					Use:       "mint [reserve-coin]",
					Short:     "Deposit a reserve stablecoin and mint the same amount of USDai, less the mint fee",
					Long: "Deposit a reserve stablecoin and mint the same amount of USDai (uusdai), less the reserve's " +
						"mint fee, which goes to the protocol fee collector. Refused while paused, over the reserve cap " +
						"or the supply cap, for a disabled or depegged reserve, and for non-allowlisted senders in " +
						"permissioned mode.",
					Example:        "infrafid tx stable mint 1000000000uusdc --from depositor",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{
					RpcMethod: "Redeem",
					Use:       "redeem [usdai-coin] [reserve-denom]",
					Short:     "Redeem USDai for a reserve stablecoin 1:1, less the redeem fee",
					Long: "Redeem USDai for a reserve stablecoin: the reserve's redeem fee (in USDai) goes to the " +
						"protocol fee collector, the rest is burned and paid out 1:1 in the reserve. Refused while " +
						"paused, when the module holds too little of the reserve, and for non-allowlisted senders " +
						"in permissioned mode.",
					Example:        "infrafid tx stable redeem 500000000uusdai uusdc --from depositor",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}, {ProtoField: "reserve_denom"}},
				},
				{
					RpcMethod: "UpdateParams",
					Use:       "update-params [params-json]",
					Short:     "Propose new stable module parameters; all fields must be given (authority)",
					Long: "Propose new stable module parameters; all fields must be given. In this JSON, depeg_threshold " +
						"is a decimal (0.98), as `query stable params` prints it.",
					Example: `infrafid tx stable update-params '{"reserves":[{"denom":"uusdc","enabled":true,"mint_fee_bps":10,` +
						`"redeem_fee_bps":10,"cap":"5000000000000","depeg_feed":"fx/uusdc","depeg_threshold":"0.98"}],` +
						`"supply_cap":"10000000000000","permissioned":false,"paused":false}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "params"}},
					GovProposal:    true,
				},
				{
					RpcMethod:   "UpdateAllowlist",
					Use:         "update-allowlist",
					Short:       "Propose adding and removing allowlisted addresses (authority)",
					Example:     "infrafid tx stable update-allowlist --add infra1...,infra1... --remove infra1... --from alice --deposit 10000000uinfra",
					GovProposal: true,
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"add":    {Usage: "comma-separated addresses to allowlist"},
						"remove": {Usage: "comma-separated addresses to take off the allowlist"},
					},
				},
			},
		},
	}
}
