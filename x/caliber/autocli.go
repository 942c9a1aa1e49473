package caliber

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/infrafi/infrafi/x/caliber/types"
)

func arg(field string) *autocliv1.PositionalArgDescriptor {
	return &autocliv1.PositionalArgDescriptor{ProtoField: field}
}

func args(fields ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(fields))
	for i, f := range fields {
		out[i] = arg(f)
	}
	return out
}

// AutoCLIOptions describes the `infrafid query caliber` and `infrafid tx caliber` commands.
// Authority messages are gov proposals by default (signer = --from, authority = x/gov);
// --no-proposal sends them directly, for chains whose authority is a plain account.
// Amounts are uusdai integers; times are RFC 3339.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the caliber module parameters",
					Example:   "infrafid query caliber params",
				},
				{
					RpcMethod:      "Party",
					Use:            "party [address]",
					Short:          "Show a registered party and its roles",
					Example:        "infrafid query caliber party infra1...",
					PositionalArgs: args("address"),
				},
				{
					RpcMethod: "Parties",
					Use:       "parties",
					Short:     "List the registered parties, optionally only those holding --role",
					Example:   "infrafid query caliber parties --role custodian",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"role": {Usage: "only parties with this role: issuer, custodian, appraiser, insurer, curator or treasury-custodian"},
					},
				},
				{
					RpcMethod:      "AssetClass",
					Use:            "asset-class [id]",
					Short:          "Show an asset class",
					Example:        "infrafid query caliber asset-class nvidia-h100-sxm5-80gb",
					PositionalArgs: args("id"),
				},
				{
					RpcMethod: "AssetClasses",
					Use:       "asset-classes",
					Short:     "List the asset classes",
					Example:   "infrafid query caliber asset-classes",
				},
				{
					RpcMethod:      "Title",
					Use:            "title [id]",
					Short:          "Show a title (loan_id: the loan it is pledged to, 0 for none) with its custody attestation and staleness",
					Example:        "infrafid query caliber title 1",
					PositionalArgs: args("id"),
				},
				{
					RpcMethod: "Titles",
					Use:       "titles",
					Short:     "List titles, filtered by --owner, --custodian, --class-id and --status",
					Example:   "infrafid query caliber titles --owner infra1... --status active",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"class_id":  {Usage: "only titles of this asset class, e.g. nvidia-h100-sxm5-80gb"},
						"owner":     {Usage: "only titles owned by this address"},
						"custodian": {Usage: "only titles held by this custodian"},
						"status": {Usage: "only titles in this status: pending-custody, active, pledged, foreclosing, " +
							"redemption-requested or casualty"},
					},
				},
				{
					RpcMethod:      "TitleBySerial",
					Use:            "title-by-serial [serial]",
					Short:          "Show the live title holding a hardware serial",
					Example:        "infrafid query caliber title-by-serial 1654922012345",
					PositionalArgs: args("serial"),
				},
				{
					RpcMethod:      "Valuation",
					Use:            "valuation [title-id]",
					Short:          "Show a title's value at the latest block: each appraisal, depreciation, median, market value and bound",
					Example:        "infrafid query caliber valuation 1",
					PositionalArgs: args("title_id"),
				},
				{
					RpcMethod:      "Appraisals",
					Use:            "appraisals [title-id]",
					Short:          "List the latest appraisal of each appraiser of a title, expired ones included",
					Example:        "infrafid query caliber appraisals 1",
					PositionalArgs: args("title_id"),
				},
				{
					RpcMethod:      "Policy",
					Use:            "policy [title-id]",
					Short:          "Show the insurance policy of a title",
					Example:        "infrafid query caliber policy 1",
					PositionalArgs: args("title_id"),
				},
				{
					RpcMethod: "PolicyRequests",
					Use:       "policy-requests",
					Short:     "List pending policy requests, optionally only those to --insurer",
					Example:   "infrafid query caliber policy-requests --insurer infra1...",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"insurer": {Usage: "only requests addressed to this insurer"},
					},
				},
				{
					RpcMethod:      "Pool",
					Use:            "pool [insurer]",
					Short:          "Show an insurer's pool: balance, reserved coverage and free capacity",
					Example:        "infrafid query caliber pool infra1...",
					PositionalArgs: args("insurer"),
				},
				{
					RpcMethod: "Pools",
					Use:       "pools",
					Short:     "List the insurance pools",
					Example:   "infrafid query caliber pools",
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "RegisterParty",
					Use:       "register-party [party-json]",
					Short:     "Propose registering a party with its roles (authority)",
					Example: `infrafid tx caliber register-party '{"address":"infra1...","roles":["ROLE_CUSTODIAN"],` +
						`"name":"DC One","active":true}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: args("party"),
					GovProposal:    true,
				},
				{
					RpcMethod: "UpdateParty",
					Use:       "update-party [party-json]",
					Short:     "Propose replacing a party's roles, name, active flag and metadata URI (authority)",
					Example: `infrafid tx caliber update-party '{"address":"infra1...","roles":["ROLE_CUSTODIAN","ROLE_APPRAISER"],` +
						`"name":"DC One","active":true}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: args("party"),
					GovProposal:    true,
				},
				{
					RpcMethod:      "SetPartyActive",
					Use:            "set-party-active [address] [active]",
					Short:          "Propose activating or deactivating a party (authority)",
					Example:        "infrafid tx caliber set-party-active infra1... false --from alice --deposit 10000000uinfra",
					PositionalArgs: args("address", "active"),
					GovProposal:    true,
				},
				{
					RpcMethod: "AddAssetClass",
					Use:       "add-asset-class [asset-class-json]",
					Short:     "Propose a new asset class (authority)",
					Long: "Propose a new asset class. In this JSON the decimal fields (max_ltv, depreciation_per_year, " +
						"residual_ratio) are written as decimals (0.7), as the queries print them.",
					Example: `infrafid tx caliber add-asset-class '{"id":"nvidia-l40s-48gb","kind":"ASSET_KIND_GPU","manufacturer":"NVIDIA",` +
						`"model":"L40S 48GB","max_ltv":"0.6","depreciation_per_year":"0.25",` +
						`"residual_ratio":"0.15","min_appraisals":1,"eligible":true}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: args("asset_class"),
					GovProposal:    true,
				},
				{
					RpcMethod: "UpdateAssetClass",
					Use:       "update-asset-class [asset-class-json]",
					Short:     "Propose replacing every field of an asset class (authority)",
					Long:      "Propose replacing every field of an asset class. Decimal fields are written as decimals (0.7).",
					Example: `infrafid tx caliber update-asset-class '{"id":"nvidia-l40s-48gb","kind":"ASSET_KIND_GPU","manufacturer":"NVIDIA",` +
						`"model":"L40S 48GB","max_ltv":"0.5","depreciation_per_year":"0.25",` +
						`"residual_ratio":"0.15","min_appraisals":2,"eligible":false}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: args("asset_class"),
					GovProposal:    true,
				},
				{
					RpcMethod: "MintTitle",
					Use:       "mint-title [class-id] [owner] [custodian] [units] [serials...]",
					Short:     "Mint a title in PENDING_CUSTODY (active ISSUER)",
					Long: "Mint a title for owner, held by custodian (an active CUSTODIAN party, the only one who can " +
						"confirm custody). Serials are uppercase [A-Z0-9._-]; none may already be in a live title.",
					Example: "infrafid tx caliber mint-title nvidia-h100-sxm5-80gb infra1owner... infra1custodian... 8 " +
						"1654922010001 1654922010002 1654922010003 1654922010004 1654922010005 1654922010006 1654922010007 1654922010008 " +
						`--facility DAL-01 --jurisdiction US-TX --legal '{"spv_id":"SPV-7","document_sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}' --from issuer`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						arg("class_id"), arg("owner"), arg("custodian"), arg("units"),
						{ProtoField: "serials", Varargs: true},
					},
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"facility":     {Usage: "data centre holding the hardware, e.g. DAL-01"},
						"jurisdiction": {Usage: "legal jurisdiction of the hardware, e.g. US-TX"},
						"legal": {Usage: `legal wrapper as JSON: {"spv_id":"...","document_sha256":"<64 hex>","uri":"..."} ` +
							"(the SPV holding the hardware and the hash of its title document)"},
						"metadata_uri": {Usage: "URI of off-chain metadata describing the hardware"},
					},
				},
				{
					RpcMethod:      "ConfirmCustody",
					Use:            "confirm-custody [title-id]",
					Short:          "Confirm custody of a PENDING_CUSTODY title: it becomes ACTIVE (its named custodian)",
					Example:        "infrafid tx caliber confirm-custody 1 --from custodian",
					PositionalArgs: args("title_id"),
				},
				{
					RpcMethod:      "TransferTitle",
					Use:            "transfer-title [title-id] [recipient]",
					Short:          "Transfer an ACTIVE title (its owner)",
					Example:        "infrafid tx caliber transfer-title 1 infra1... --from borrower",
					PositionalArgs: args("title_id", "recipient"),
				},
				{
					RpcMethod:      "RequestRedemption",
					Use:            "request-redemption [title-id]",
					Short:          "Ask the custodian to release an ACTIVE title's hardware (its owner)",
					Example:        "infrafid tx caliber request-redemption 1 --from borrower",
					PositionalArgs: args("title_id"),
				},
				{
					RpcMethod:      "CancelRedemption",
					Use:            "cancel-redemption [title-id]",
					Short:          "Withdraw a redemption request: the title is ACTIVE again (its owner)",
					Example:        "infrafid tx caliber cancel-redemption 1 --from borrower",
					PositionalArgs: args("title_id"),
				},
				{
					RpcMethod:      "ConfirmRedemption",
					Use:            "confirm-redemption [title-id]",
					Short:          "Confirm the hardware was released: the title is burned (its custodian)",
					Example:        "infrafid tx caliber confirm-redemption 1 --from custodian",
					PositionalArgs: args("title_id"),
				},
				{
					RpcMethod: "AttestCustody",
					Use:       "attest-custody [online] [uptime-bps] [title-ids...]",
					Short:     "Attest custody of titles you hold (custodian heartbeat)",
					Example:   "infrafid tx caliber attest-custody true 9990 1 2 3 --facility DAL-01 --from custodian",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						arg("online"), arg("uptime_bps"), {ProtoField: "title_ids", Varargs: true},
					},
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"facility": {Usage: "data centre the hardware is in now, e.g. DAL-02; omitted keeps the last attested one"},
					},
				},
				{
					RpcMethod:      "ReportCasualty",
					Use:            "report-casualty [title-id] [reason]",
					Short:          "Report a title's hardware destroyed or lost: it becomes CASUALTY (its custodian)",
					Example:        `infrafid tx caliber report-casualty 1 "fire in hall B" --from custodian`,
					PositionalArgs: args("title_id", "reason"),
				},
				{
					RpcMethod: "Appraise",
					Use:       "appraise [title-id] [value] [valid-until] [report-sha256]",
					Short:     "Appraise a title in uusdai (active APPRAISER); replaces your previous appraisal of it",
					Example: "infrafid tx caliber appraise 1 200000000000 2027-01-01T00:00:00Z " +
						"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 --from appraiser",
					PositionalArgs: args("title_id", "value", "valid_until", "report_sha256"),
				},
				{
					RpcMethod:      "FundInsurancePool",
					Use:            "fund-insurance-pool [amount]",
					Short:          "Move uusdai into your insurance pool (active INSURER)",
					Example:        "infrafid tx caliber fund-insurance-pool 500000000000 --from insurer",
					PositionalArgs: args("amount"),
				},
				{
					RpcMethod:      "WithdrawInsurancePool",
					Use:            "withdraw-insurance-pool [amount]",
					Short:          "Take uusdai out of your pool, up to its free (unreserved) capacity",
					Example:        "infrafid tx caliber withdraw-insurance-pool 100000000000 --from insurer",
					PositionalArgs: args("amount"),
				},
				{
					RpcMethod: "RequestPolicy",
					Use:       "request-policy [title-id] [insurer] [insured-value] [coverage] [expires-at] [max-premium]",
					Short:     "Ask an insurer for a policy on your title, agreeing to pay at most max-premium uusdai",
					Example: "infrafid tx caliber request-policy 1 infra1insurer... 200000000000 150000000000 " +
						"2027-01-01T00:00:00Z 3000000000 --from borrower",
					PositionalArgs: args("title_id", "insurer", "insured_value", "coverage", "expires_at", "max_premium"),
				},
				{
					RpcMethod:      "CancelPolicyRequest",
					Use:            "cancel-policy-request [request-id]",
					Short:          "Withdraw your pending policy request",
					Example:        "infrafid tx caliber cancel-policy-request 1 --from borrower",
					PositionalArgs: args("request_id"),
				},
				{
					RpcMethod:      "IssuePolicy",
					Use:            "issue-policy [request-id] [premium]",
					Short:          "Issue the policy a request asks you for: reserves coverage, collects the premium (the requested insurer)",
					Example:        "infrafid tx caliber issue-policy 1 2500000000 --from insurer",
					PositionalArgs: args("request_id", "premium"),
				},
				{
					RpcMethod: "UpdateParams",
					Use:       "update-params [params-json]",
					Short:     "Propose new caliber module parameters; all fields must be given (authority)",
					Example: `infrafid tx caliber update-params '{"custody_attestation_max_age":"86400s","max_stale_checks_per_block":100,` +
						`"max_serials_per_title":64,"max_titles_per_attestation":100,"max_policy_expiries_per_block":100,` +
						`"max_appraisal_validity":"31536000s","max_policy_duration":"157680000s"}' --from alice --deposit 10000000uinfra`,
					PositionalArgs: args("params"),
					GovProposal:    true,
				},
			},
		},
	}
}
