package lending

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/infrafi/infrafi/x/lending/types"
)

func args(fields ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(fields))
	for i, f := range fields {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: f}
	}
	return out
}

// AutoCLIOptions describes the `infrafid query lending` and `infrafid tx lending` commands.
// Authority messages are gov proposals by default (--no-proposal sends them
// directly). Amounts are uusdai integers; APRs decimals (0.15 = 15%).
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the lending module parameters", Example: "infrafid query lending params"},
				{RpcMethod: "Product", Use: "product [id]", Short: "Show a loan product", Example: "infrafid query lending product gpu-senior", PositionalArgs: args("id")},
				{RpcMethod: "Products", Use: "products", Short: "List the loan products", Example: "infrafid query lending products"},
				{RpcMethod: "Loan", Use: "loan [id]", Short: "Show a loan with its payoff, its lockbox address and balance, DSCR and what the borrower may withdraw from the lockbox", Example: "infrafid query lending loan 1", PositionalArgs: args("id")},
				{RpcMethod: "Loans", Use: "loans", Short: "List loans, optionally by --borrower, --status or --curator", Example: "infrafid query lending loans --borrower infra1...",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"borrower": {Usage: "only this borrower's loans"},
						"curator":  {Usage: "only loans this curator underwrote"},
						"status": {Usage: "only loans in this status: pending, active, delinquent, margin-call, defaulted, " +
							"foreclosing, repaid, cancelled, expired, liquidated or written-off (pending lists in expiry order, the rest by id)"},
					}},
				{RpcMethod: "Schedule", Use: "schedule [loan-id]", Short: "List a loan's upcoming payments (at most --limit, default 120)", Example: "infrafid query lending schedule 1 --limit 3", PositionalArgs: args("loan_id"),
					FlagOptions: map[string]*autocliv1.FlagOptions{"limit": {Usage: "most payments to list (default and max 120)"}}},
				{RpcMethod: "Quote", Use: "quote [product-id] [title-ids]", Short: "Show the most one can borrow against titles under a product, and the binding constraint", Example: "infrafid query lending quote gpu-senior 1,2", PositionalArgs: args("product_id", "title_ids")},
				{RpcMethod: "BookSummary", Use: "book", Short: "Show the loan book: principal totals, DSR held, loans per status, exposures", Example: "infrafid query lending book"},
				{RpcMethod: "Auctions", Use: "auctions", Short: "List foreclosure auctions, optionally by --status (open, sold, unsold, recovered)", Example: "infrafid query lending auctions --status open",
					FlagOptions: map[string]*autocliv1.FlagOptions{"status": {Usage: "only auctions in this status: open, sold, unsold or recovered"}}},
				{RpcMethod: "Auction", Use: "auction [id]", Short: "Show a foreclosure auction (id = loan id) with its current price", Example: "infrafid query lending auction 2", PositionalArgs: args("id")},
				{RpcMethod: "Impairments", Use: "impairments", Short: "List the loans whose senior claim the vault has written down", Example: "infrafid query lending impairments"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CreateProduct", Use: "create-product [product-json]", Short: "Add a loan product (authority; a gov proposal unless --no-proposal)", Example: `infrafid tx lending create-product '{"id":"gpu-senior",...}' --from gov-key`, PositionalArgs: args("product"), GovProposal: true},
				{RpcMethod: "UpdateProduct", Use: "update-product [product-json]", Short: "Replace a loan product; funded loans keep their terms (authority)", Example: `infrafid tx lending update-product '{"id":"gpu-senior",...}' --from gov-key`, PositionalArgs: args("product"), GovProposal: true},
				{RpcMethod: "RequestLoan", Use: "request-loan [title-ids] [product-id] [principal]", Short: "Pledge your ACTIVE titles and request a loan of principal uusdai", Example: "infrafid tx lending request-loan 1,2 gpu-senior 50000000000 --from borrower", PositionalArgs: args("title_ids", "product_id", "principal")},
				{RpcMethod: "CancelLoanRequest", Use: "cancel-request [loan-id]", Short: "Cancel your PENDING loan request and get the titles back", Example: "infrafid tx lending cancel-request 1 --from borrower", PositionalArgs: args("loan_id")},
				{RpcMethod: "UnderwriteLoan", Use: "underwrite [loan-id] [apr] [junior-amount]", Short: "Underwrite a PENDING loan as a CURATOR: set the APR, pay the junior first loss, fund it", Example: "infrafid tx lending underwrite 1 0.15 5000000000 --from curator", PositionalArgs: args("loan_id", "apr", "junior_amount")},
				{RpcMethod: "Repay", Use: "repay [loan-id] [amount]", Short: "Pay up to amount uusdai on a loan (anyone may pay; above the payoff is not taken)", Example: "infrafid tx lending repay 1 1000000000 --from payer", PositionalArgs: args("loan_id", "amount")},
				{RpcMethod: "AddCollateral", Use: "add-collateral [loan-id] [title-ids]", Short: "Pledge more of your ACTIVE, valued titles to a loan (cures a margin call when the covenants then hold)", Example: "infrafid tx lending add-collateral 1 3 --from borrower", PositionalArgs: args("loan_id", "title_ids")},
				{RpcMethod: "WithdrawCollateral", Use: "withdraw-collateral [loan-id] [title-ids]", Short: "Release titles of an ACTIVE loan while its LTV stays within max_ltv", Example: "infrafid tx lending withdraw-collateral 1 3 --from borrower", PositionalArgs: args("loan_id", "title_ids")},
				{RpcMethod: "Bid", Use: "bid [auction-id] [max-price]", Short: "Buy a foreclosure auction's titles at the current price if it is at most max-price (a uusdai coin)", Example: "infrafid tx lending bid 2 60000000000uusdai --from bidder", PositionalArgs: args("auction_id", "max_price")},
				{RpcMethod: "WithdrawLockbox", Use: "withdraw-lockbox [loan-id] [amount]...", Short: "Take coins from a loan's lockbox: while ACTIVE USDai and reserves above the next two installments, once closed anything", Example: "infrafid tx lending withdraw-lockbox 1 500000uusdai --from borrower", PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "loan_id"}, {ProtoField: "amount", Varargs: true}}},
				{RpcMethod: "UpdateParams", Use: "update-params [params-json]", Short: "Replace the lending params (authority)", Example: `infrafid tx lending update-params '{...}' --from gov-key`, PositionalArgs: args("params"), GovProposal: true},
			},
		},
	}
}
