package yield

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/infrafi/infrafi/x/yield/types"
)

// AutoCLIOptions describes the `infrafid query yield` and `infrafid tx yield` commands.
// UpdateParams is a gov proposal by default (signer = --from, authority = x/gov).
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the yield module parameters",
					Example:   "infrafid query yield params",
				},
				{
					RpcMethod: "Vault",
					Use:       "vault",
					Short:     "Show NAV, conservative NAV, shares, prices, idle, reserved, buffer, book and treasury",
					Example:   "infrafid query yield vault",
				},
				{
					RpcMethod: "PriceHistory",
					Use:       "price-history",
					Short:     "List the NAV and share price checkpoints, oldest first",
					Example:   "infrafid query yield price-history --page-limit 30 --page-reverse",
				},
				{
					RpcMethod: "APR",
					Use:       "apr",
					Short:     "Show the realized APR over 7, 30 and 365 days and the projected APR",
					Example:   "infrafid query yield apr",
				},
				{
					RpcMethod: "Queue",
					Use:       "queue",
					Short:     "List the queued redemption requests in service order (bid desc, then time)",
					Example:   "infrafid query yield queue --page-limit 50",
				},
				{
					RpcMethod:      "RedeemRequests",
					Use:            "requests [owner]",
					Short:          "List an owner's queued redemption requests",
					Example:        "infrafid query yield requests infra1...",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner"}},
				},
				{
					RpcMethod:      "RedeemRequest",
					Use:            "request [id]",
					Short:          "Show one queued redemption request",
					Example:        "infrafid query yield request 3",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Epoch",
					Use:       "epoch",
					Short:     "Show the current epoch, its cancel cutoff and the serving round",
					Example:   "infrafid query yield epoch",
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod:      "Deposit",
					Use:            "deposit [amount]",
					Short:          "Deposit USDai into the vault for sUSDai shares at the NAV price",
					Example:        "infrafid tx yield deposit 1000000000uusdai --from depositor",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{
					RpcMethod: "RequestRedeem",
					Use:       "request-redeem [shares] [bid-bps]",
					Short:     "Queue ususdai shares for redemption at the next epoch close with a priority bid",
					Long: "Queue ususdai shares for redemption. The shares move to escrow and keep sharing gains and losses. " +
						"At each epoch close requests are served by bid (descending), then by time, at the conservative price " +
						"less the bid (bid-bps of the payout stays in the vault).",
					Example:        "infrafid tx yield request-redeem 500000000 50 --from depositor",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "shares"}, {ProtoField: "bid_bps"}},
				},
				{
					RpcMethod:      "UpdateBid",
					Use:            "update-bid [request-id] [bid-bps]",
					Short:          "Raise the bid of one of your queued redemption requests",
					Example:        "infrafid tx yield update-bid 3 200 --from depositor",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "request_id"}, {ProtoField: "bid_bps"}},
				},
				{
					RpcMethod:      "CancelRedeem",
					Use:            "cancel-redeem [request-id]",
					Short:          "Cancel one of your queued requests before the epoch's cutoff and get the shares back",
					Example:        "infrafid tx yield cancel-redeem 3 --from depositor",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "request_id"}},
				},
				{
					RpcMethod: "SettleTreasury",
					Use:       "settle-treasury [principal] [yield]",
					Short:     "Settle T-bill principal (at most the recall order) and yield back to the vault (treasury custodian)",
					Long: "Settle T-bill principal and yield back to the vault, in the treasury reserve denom, as the " +
						"treasury custodian. Principal may not exceed the recall order; the settlement realizes all " +
						"accrued yield, and accrued yield not paid is a loss.",
					Example:        "infrafid tx yield settle-treasury 0 5000000 --from treasury",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "principal"}, {ProtoField: "yield"}},
				},
				{
					RpcMethod: "UpdateParams",
					Use:       "update-params [params-json]",
					Short:     "Propose new yield module parameters; all fields must be given (authority)",
					Example: `infrafid tx yield update-params '{"epoch_length":"2592000s","cancel_cutoff":"86400s",` +
						`"max_redemptions_per_block":50,"protocol_bid_share_bps":1000,"admin_fee_bps":100,` +
						`"liquidity_buffer_bps":500,"rebalance_interval":"86400s","treasury_rate_feed":"rate/tbill",` +
						`"treasury_custodian":"infra1...","treasury_reserve_denom":"uusdc","checkpoint_interval":"86400s",` +
						`"max_checkpoints":400}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "params"}},
					GovProposal:    true,
				},
			},
		},
	}
}
