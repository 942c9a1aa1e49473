// The chain state the browser tests need, made through the binary on the
// localnet's preset (keys, feeds, the gpu-senior product): staked sUSDai, an
// insurance pool, insured H100 titles, a repaid loan, an ACTIVE loan, a
// PENDING request, a loan left to default into an open Dutch auction, and
// redemption requests. Each step is skipped when the chain already shows
// what it makes, so a shared localnet (or one the demo ran on) is reused.

import { eventAttr, sleep } from './chain.mjs';

const U = 1_000_000n;
const units = (n) => (BigInt(n) * U).toString();
const H100 = 'nvidia-h100-sxm5-80gb';
const PRODUCT = 'gpu-senior';
// The REST gateway takes enum filters as numbers (lending.proto LoanStatus, AuctionStatus).
const LOAN_STATUS = { PENDING: 1, ACTIVE: 2, FORECLOSING: 6, REPAID: 7 };
const AUCTION_OPEN = 1;
const REPORT = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export class Fixture {
  constructor(ln, log) {
    this.ln = ln;
    this.log = log;
    this.run = `DASH${Date.now()}`;
    this.serial = 0;
  }

  async loansByStatus(status) {
    const r = await this.ln.q(`/infrafi/lending/v1/loans?status=${LOAN_STATUS[status]}&pagination.limit=200`);
    return r.loans || [];
  }

  async seed() {
    const started = Date.now();
    const { ln, log } = this;
    const needAuction = (await this.fallingAuctions()).length === 0;
    const needPending = (await this.loansByStatus('PENDING')).length === 0;
    const needRepaid = (await this.loansByStatus('REPAID')).length === 0;
    const needActive = (await this.loansByStatus('ACTIVE')).length === 0;
    if (!needAuction && !needPending && !needRepaid && !needActive) {
      log('the localnet already has an open auction and loans in every status the tests read');
      return;
    }
    await this.funds();
    const titles = [];
    for (const need of [needAuction, needPending, needRepaid, needActive]) titles.push(need ? await this.insuredTitle() : null);
    // The defaulting loan goes first: it needs three minutes of due dates.
    let defaulting = null;
    if (needAuction) defaulting = await this.fundedLoan(titles[0], units(20_000), units(2_000));
    if (needRepaid) {
      const id = await this.fundedLoan(titles[2], units(10_000), units(1_000));
      const l = await ln.q(`/infrafi/lending/v1/loans/${id}`);
      await ln.tx('lending', 'repay', String(id), l.payoff, '--from', 'borrower');
      log(`loan #${id} repaid`);
    }
    if (needActive) await this.fundedLoan(titles[3], units(10_000), units(1_000));
    if (needPending) {
      const r = await ln.tx('lending', 'request-loan', String(titles[1]), PRODUCT, units(15_000), '--from', 'borrower');
      log(`loan #${eventAttr(r, 'infrafi.lending.v1.EventLoanRequested', 'loan_id')} PENDING`);
    }
    if (defaulting !== null) await this.waitAuction(defaulting);
    log(`fixture ready in ${Math.round((Date.now() - started) / 1000)} s`);
  }

  async openAuctions() {
    const r = await this.ln.q(`/infrafi/lending/v1/auctions?status=${AUCTION_OPEN}`);
    return r.auctions || [];
  }

  // fallingAuctions are the open auctions still in their first round for at
  // least another minute: their price falls block by block (after a reset it
  // stays at the floor).
  async fallingAuctions() {
    const soon = Date.now() + 60_000;
    return (await this.openAuctions()).filter((a) => a.resets === 0 && new Date(a.ends_at).getTime() > soon);
  }

  // funds gives the parties USDai through the PSM and stakes the depositor's
  // into the vault, so loans have liquidity to draw on.
  async funds() {
    const { ln } = this;
    for (const [key, amount] of [['depositor', 120_000], ['curator', 20_000], ['borrower', 10_000], ['insurer', 510_000]]) {
      await ln.tx('stable', 'mint', `${units(amount)}uusdc`, '--from', key);
    }
    await ln.tx('yield', 'deposit', `${units(100_000)}uusdai`, '--from', 'depositor');
    await ln.tx('caliber', 'fund-insurance-pool', units(500_000), '--from', 'insurer');
    this.log('minted USDai, staked 100,000 into sUSDai and funded the insurance pool');
  }

  // insuredTitle mints an 8×H100 title, has it confirmed, appraised and insured.
  async insuredTitle() {
    const { ln } = this;
    const serials = Array.from({ length: 8 }, () => `${this.run}-${++this.serial}`);
    const r = await ln.tx('caliber', 'mint-title', H100, ln.keys.borrower, ln.keys.custodian, '8', ...serials,
      '--facility', 'DAL-01', '--jurisdiction', 'US-TX', '--from', 'issuer');
    const id = String(eventAttr(r, 'infrafi.caliber.v1.EventTitleMinted', 'title_id'));
    await ln.tx('caliber', 'confirm-custody', id, '--from', 'custodian');
    const later = (days) => new Date(Date.now() + days * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await ln.tx('caliber', 'appraise', id, units(200_000), later(90), REPORT, '--from', 'appraiser');
    const p = await ln.tx('caliber', 'request-policy', id, ln.keys.insurer, units(200_000), units(100_000), later(30), units(1_500), '--from', 'borrower');
    const reqId = String(eventAttr(p, 'infrafi.caliber.v1.EventPolicyRequested', 'request').id);
    await ln.tx('caliber', 'issue-policy', reqId, units(1_000), '--from', 'insurer');
    this.log(`title #${id} minted, in custody, appraised and insured (serials ${serials[0]}…)`);
    return id;
  }

  // fundedLoan requests a loan and has the curator underwrite it; when the
  // vault's liquidity sits in T-bills it settles the rebalance's recall first.
  async fundedLoan(title, principal, junior) {
    const { ln, log } = this;
    const r = await ln.tx('lending', 'request-loan', String(title), PRODUCT, principal, '--from', 'borrower');
    const id = String(eventAttr(r, 'infrafi.lending.v1.EventLoanRequested', 'loan_id'));
    const end = Date.now() + 150_000;
    for (;;) {
      try {
        await ln.tx('lending', 'underwrite', id, '0.15', junior, '--from', 'curator');
        log(`loan #${id} funded`);
        return id;
      } catch (e) {
        if (Date.now() > end) throw e;
        await this.settleRecall();
        await sleep(2000);
      }
    }
  }

  // settleRecall returns what a rebalance recalled from the treasury custodian.
  async settleRecall() {
    const v = (await this.ln.q('/infrafi/yield/v1/vault')).vault;
    const recall = BigInt(v.treasury.recall || '0');
    if (recall === 0n) return;
    const interest = (BigInt(v.accrued_treasury_yield || '0') + U).toString();
    await this.ln.tx('yield', 'settle-treasury', recall.toString(), interest, '--from', 'treasury');
    this.log(`treasury returned ${recall / U} USDai of T-bills`);
  }

  // waitAuction waits for the unpaid loan to default and its auction to open:
  // the reserve pays the first due date, the second is missed, grace ends.
  async waitAuction(id) {
    const end = Date.now() + 6 * 60_000;
    this.log(`waiting for loan #${id} to miss its due dates and default (about 3 minutes)`);
    for (;;) {
      const open = await this.fallingAuctions();
      if (open.some((a) => String(a.id) === String(id))) {
        this.log(`loan #${id} defaulted: auction #${id} is open`);
        return;
      }
      if (Date.now() > end) throw new Error(`loan #${id} did not reach an open auction in 6 minutes`);
      await sleep(3000);
    }
  }

  // queueRedemption puts a redemption request in the queue (the vault
  // serves the queue at each one-minute epoch close) and returns its id.
  async queueRedemption() {
    const bal = await this.ln.q(`/cosmos/bank/v1beta1/balances/${this.ln.keys.depositor}/by_denom?denom=ususdai`);
    const shares = BigInt(bal.balance.amount) / 100n;
    if (shares === 0n) throw new Error('the depositor has no sUSDai to redeem');
    const r = await this.ln.tx('yield', 'request-redeem', shares.toString(), '75', '--from', 'depositor');
    return String(eventAttr(r, 'infrafi.yield.v1.EventRedeemRequested', 'request_id'));
  }
}
