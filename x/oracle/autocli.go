package oracle

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// AutoCLIOptions describes the `infrafid query oracle` and `infrafid tx oracle` commands.
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
					Short:     "Show the oracle module parameters",
					Example:   "infrafid query oracle params",
				},
				{
					RpcMethod: "Feeds",
					Use:       "feeds",
					Short:     "List the registered feeds",
					Example:   "infrafid query oracle feeds --page-limit 20",
				},
				{
					RpcMethod:      "Feed",
					Use:            "feed [feed-id]",
					Short:          "Show one feed",
					Example:        "infrafid query oracle feed gpu/nvidia-h100-sxm5-80gb",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Prices",
					Use:       "prices",
					Short:     "List the aggregated prices, with validity at the latest block",
					Example:   "infrafid query oracle prices",
				},
				{
					RpcMethod:      "Price",
					Use:            "price [feed-id]",
					Short:          "Show a feed's aggregated price, with validity at the latest block",
					Example:        "infrafid query oracle price rate/tbill",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed_id"}},
				},
				{
					RpcMethod:      "Posts",
					Use:            "posts [feed-id]",
					Short:          "List the latest post of each feeder of a feed, expired ones included",
					Example:        "infrafid query oracle posts fx/uusdc",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed_id"}},
				},
				{
					RpcMethod:      "Feeders",
					Use:            "feeders [feed-id]",
					Short:          "List the registered feeders of a feed",
					Example:        "infrafid query oracle feeders gpu/nvidia-h100-sxm5-80gb",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed_id"}},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "PostPrice",
					Use:       "post-price [feed-id] [value]",
					Short:     "Post a value to a feed as one of its registered feeders",
					Long: "Post a value to a feed as one of its registered feeders. The post replaces the feeder's " +
						"previous one and counts until --expires-at (default: block time + params.default_post_ttl).",
					Example: "infrafid tx oracle post-price gpu/nvidia-h100-sxm5-80gb 28500000000 --from feeder1\n" +
						"infrafid tx oracle post-price rate/tbill 0.0525 --expires-at 2030-01-01T00:00:00Z --from feeder1",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed_id"}, {ProtoField: "value"}},
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"expires_at": {Usage: "RFC 3339 time the post stops counting (default: block time + params.default_post_ttl)"},
					},
				},
				{
					RpcMethod: "AddFeed",
					Use:       "add-feed [feed-json]",
					Short:     "Propose a new feed (authority)",
					Example: `infrafid tx oracle add-feed '{"id":"gpu/nvidia-h100-sxm5-80gb","description":"H100 SXM5 80GB unit price",` +
						`"unit":"uusdai/gpu","min_feeders":3,"max_age":"3600s"}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed"}},
					GovProposal:    true,
				},
				{
					RpcMethod: "UpdateFeed",
					Use:       "update-feed [feed-json]",
					Short:     "Propose new description, unit, min_feeders, max_age and source for a feed (authority)",
					Long: "Propose new description, unit, min_feeders, max_age and source for a feed. source is " +
						"FEED_SOURCE_FEEDERS (default when omitted) or FEED_SOURCE_VOTE_EXTENSIONS; a feed switched " +
						"between sources keeps its last price until the new source delivers one.",
					Example: `infrafid tx oracle update-feed '{"id":"rate/tbill","description":"3-month T-bill APR",` +
						`"unit":"apr","min_feeders":2,"max_age":"86400s","source":"FEED_SOURCE_VOTE_EXTENSIONS"}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed"}},
					GovProposal:    true,
				},
				{
					RpcMethod:      "RemoveFeed",
					Use:            "remove-feed [feed-id]",
					Short:          "Propose removing a feed with its feeders, posts and price (authority)",
					Example:        "infrafid tx oracle remove-feed fx/uusdc --from alice --deposit 10000000uinfra",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed_id"}},
					GovProposal:    true,
				},
				{
					RpcMethod:      "AddFeeder",
					Use:            "add-feeder [feed-id] [feeder-address]",
					Short:          "Propose registering a feeder of a feed (authority)",
					Example:        "infrafid tx oracle add-feeder rate/tbill infra1... --from alice --deposit 10000000uinfra",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed_id"}, {ProtoField: "feeder"}},
					GovProposal:    true,
				},
				{
					RpcMethod:      "RemoveFeeder",
					Use:            "remove-feeder [feed-id] [feeder-address]",
					Short:          "Propose unregistering a feeder of a feed and deleting its post (authority)",
					Example:        "infrafid tx oracle remove-feeder rate/tbill infra1... --from alice --deposit 10000000uinfra",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "feed_id"}, {ProtoField: "feeder"}},
					GovProposal:    true,
				},
				{
					RpcMethod: "UpdateParams",
					Use:       "update-params [params-json]",
					Short:     "Propose new oracle module parameters; all fields must be given (authority)",
					Long: "Propose new oracle module parameters; all fields must be given. In this JSON, max_value and " +
						"min_power are decimals as `query oracle params` prints them (\"0.666666666666666666\", \"1000000000000000000\" is 10^18).",
					Example: `infrafid tx oracle update-params '{"default_post_ttl":"3600s","max_post_ttl":"86400s",` +
						`"max_feeders_per_feed":32,"max_value":"1000000000000000000","min_power":"0.666666666666666666"}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "params"}},
					GovProposal:    true,
				},
			},
		},
	}
}
