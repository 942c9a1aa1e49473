// Every user message of the five modules, signed through @infrafi/client in
// SIGN_MODE_DIRECT and in amino JSON mode, broadcast to a localnet and its
// effect read back through the typed REST queries. The list of messages to
// cover is the generated registry's (every Msg whose signer is not the
// governance authority), so a new message fails the coverage test until a
// step here sends it.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";

import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";

import { ChainError, InfrafiClient, InfrafiValidationError, QueryError, caliberCaliber, lendingLending, msgEntries } from "../dist/src/index.js";
import { mintAndStake } from "../dist/examples/mint-and-stake.js";
import { localnet } from "./localnet.mjs";

const USDC = "uusdc";
const USDAI = "uusdai";
const SUSDAI = "ususdai";
const PRODUCT = "gpu-senior";
const CLASS = "nvidia-h200-141gb"; // no market feed: valued by appraisal alone, so no oracle price moves here
const units = (n) => String(BigInt(n) * 1_000_000n);
const MODES = ["direct", "amino"];
const ROLES = ["depositor", "borrower", "issuer", "custodian", "appraiser", "insurer", "curator", "feeder", "treasury"];

const { TitleStatus } = caliberCaliber;
const { LoanStatus } = lendingLending;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns a truthy value; the value is returned. */
async function eventually(what, fn, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ": " + last.message : ""}`);
    await sleep(1000);
  }
}

let net;
const addr = {};
const clients = { direct: {}, amino: {} };
const sent = { direct: new Set(), amino: new Set() };
const run = Date.now().toString(36);

/** Signs and broadcasts one message as role in mode and records its type. */
async function send(mode, role, typeUrl, value) {
  const res = await clients[mode][role].signAndBroadcast(addr[role], [{ typeUrl, value }]);
  assert.equal(res.code, 0);
  sent[mode].add(typeUrl);
  return res;
}

const q = () => clients.direct.depositor.queries;
const balance = (who, denom) => clients.direct.depositor.query.balance(addr[who], denom);

before(async () => {
  net = await localnet();
  for (const role of ROLES) {
    const { mnemonic, address } = net.keys[role];
    addr[role] = address;
    const direct = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "infra" });
    const amino = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "infra" });
    assert.equal((await direct.getAccounts())[0].address, address);
    clients.direct[role] = await InfrafiClient.connect(direct, { rpc: net.rpc, rest: net.rest });
    clients.amino[role] = await InfrafiClient.connect(amino, { rpc: net.rpc, rest: net.rest });
  }
});

after(async () => {
  for (const mode of MODES) for (const c of Object.values(clients[mode])) c.disconnect();
  await net?.stop();
});

// Per sign mode: the titles and loans that mode's steps create.
const state = { direct: {}, amino: {} };

async function mintTitle(mode, tag) {
  const serial = `CLIENT-${run}-${mode}-${tag}`.toUpperCase();
  await send(mode, "issuer", "/infrafi.caliber.v1.MsgMintTitle", {
    issuer: addr.issuer,
    classId: CLASS,
    owner: addr.borrower,
    custodian: addr.custodian,
    units: "1",
    serials: [serial],
    facility: "DAL-01",
    jurisdiction: "US-TX",
    legal: { spvId: `spv-${run}`, documentSha256: "ab".repeat(32), uri: "https://example.com/spv" },
    metadataUri: "https://example.com/title",
  });
  const { title } = await q().caliber.titleBySerial({ serial });
  assert.equal(title.owner, addr.borrower);
  assert.equal(title.classId, CLASS);
  return title.id;
}

async function titleStatus(id) {
  return (await q().caliber.title({ id })).title.status;
}

/** Custody, appraisal and an insurance policy: what a loan needs of its collateral. */
async function readyTitle(mode, tag) {
  const id = await mintTitle(mode, tag);
  assert.equal(await titleStatus(id), TitleStatus.TITLE_STATUS_PENDING_CUSTODY);
  await send(mode, "custodian", "/infrafi.caliber.v1.MsgConfirmCustody", { custodian: addr.custodian, titleId: id });
  assert.equal(await titleStatus(id), TitleStatus.TITLE_STATUS_ACTIVE);
  await send(mode, "appraiser", "/infrafi.caliber.v1.MsgAppraise", {
    appraiser: addr.appraiser,
    titleId: id,
    value: units(20_000),
    validUntil: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    reportSha256: "cd".repeat(32),
  });
  const { appraisals } = await q().caliber.appraisals({ titleId: id });
  assert.ok(appraisals.some((a) => a.appraiser === addr.appraiser && a.value === units(20_000)), "appraisal recorded");
  const { valuation } = await q().caliber.valuation({ titleId: id });
  assert.ok(BigInt(valuation.value) > 0n && BigInt(valuation.value) <= BigInt(units(20_000)));
  await send(mode, "borrower", "/infrafi.caliber.v1.MsgRequestPolicy", {
    owner: addr.borrower,
    titleId: id,
    insurer: addr.insurer,
    insuredValue: units(20_000),
    coverage: units(10_000),
    expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    maxPremium: units(200),
  });
  const { requests } = await q().caliber.policyRequests({ insurer: addr.insurer });
  const request = requests.find((r) => r.titleId === id);
  assert.ok(request, "policy request listed");
  const before = await balance("borrower", USDAI);
  await send(mode, "insurer", "/infrafi.caliber.v1.MsgIssuePolicy", { insurer: addr.insurer, requestId: request.id, premium: units(100) });
  const { policy } = await q().caliber.policy({ titleId: id });
  assert.equal(policy.insurer, addr.insurer);
  assert.equal(policy.coverage, units(10_000));
  assert.equal(before - (await balance("borrower", USDAI)), BigInt(units(100)), "the borrower paid the premium");
  return id;
}

/**
 * Requests a loan right after a deposit gives the vault idle USDai to fund it:
 * every treasury rebalance (30 s on a localnet) moves idle USDai above the
 * liquidity buffer into T-bills. A rebalance between the two is retried once.
 */
async function requestLoan(mode, titleIds, principal) {
  const before = (await q().lending.loans({ borrower: addr.borrower })).loans.map((l) => l.id);
  const request = { borrower: addr.borrower, titleIds, productId: PRODUCT, principal };
  for (let attempt = 1; ; attempt++) {
    await send(mode, "depositor", "/infrafi.yield.v1.MsgDeposit", { depositor: addr.depositor, amount: { denom: USDAI, amount: String(BigInt(principal) * 2n) } });
    const quote = await q().lending.quote({ productId: PRODUCT, titleIds });
    assert.ok(BigInt(quote.ltvLimit) >= BigInt(principal), "the collateral supports the principal");
    try {
      await send(mode, "borrower", "/infrafi.lending.v1.MsgRequestLoan", request);
      break;
    } catch (e) {
      if (attempt > 1 || !(e instanceof ChainError && e.codespace === "lending" && /fundable liquidity/.test(e.rawLog))) throw e;
    }
  }
  const { loans } = await q().lending.loans({ borrower: addr.borrower });
  const loan = loans.find((l) => !before.includes(l.id));
  assert.ok(loan, "the new loan is listed");
  assert.deepEqual(loan.titleIds, titleIds);
  assert.equal(loan.status, LoanStatus.LOAN_STATUS_PENDING);
  for (const t of titleIds) {
    const { title } = await q().caliber.title({ id: t });
    assert.equal(title.status, TitleStatus.TITLE_STATUS_PLEDGED);
    assert.equal(title.loanId, loan.id, "the title's lien names the loan");
  }
  return loan.id;
}

/** Underwrites right after fresh liquidity, for the same reason as requestLoan. */
async function underwrite(mode, loanId, principal) {
  const before = await balance("borrower", USDAI);
  const msg = { curator: addr.curator, loanId, apr: "0.15", juniorAmount: String(BigInt(principal) / 10n) };
  for (let attempt = 1; ; attempt++) {
    await send(mode, "depositor", "/infrafi.yield.v1.MsgDeposit", { depositor: addr.depositor, amount: { denom: USDAI, amount: String(BigInt(principal) * 2n) } });
    try {
      await send(mode, "curator", "/infrafi.lending.v1.MsgUnderwriteLoan", msg);
      break;
    } catch (e) {
      if (attempt > 1 || !(e instanceof ChainError && e.codespace === "lending" && /fundable liquidity/.test(e.rawLog))) throw e;
    }
  }
  const { loan } = await q().lending.loan({ id: loanId });
  assert.equal(loan.status, LoanStatus.LOAN_STATUS_ACTIVE);
  assert.equal(loan.apr, "0.150000000000000000", "APR set and read back as a decimal");
  assert.ok((await balance("borrower", USDAI)) > before, "the borrower received the principal");
  return loan;
}

describe("every user message in both sign modes", () => {
  test("USDai and sUSDai: mint, redeem, stake (stable, yield)", async () => {
    for (const mode of MODES) {
      for (const role of ["depositor", "insurer", "curator", "borrower"]) {
        const before = await balance(role, USDAI);
        await send(mode, role, "/infrafi.stable.v1.MsgMint", { sender: addr[role], amount: { denom: USDC, amount: units(role === "depositor" || role === "insurer" ? 60_000 : 30_000) } });
        assert.ok((await balance(role, USDAI)) > before, `${role} received USDai`);
      }
      const usdcBefore = await balance("depositor", USDC);
      await send(mode, "depositor", "/infrafi.stable.v1.MsgRedeem", { sender: addr.depositor, amount: { denom: USDAI, amount: units(1_000) }, reserveDenom: USDC });
      assert.ok((await balance("depositor", USDC)) > usdcBefore, "redeeming USDai paid USDC");

      const vaultBefore = (await q().yield.vault()).vault;
      const sharesBefore = await balance("depositor", SUSDAI);
      await send(mode, "depositor", "/infrafi.yield.v1.MsgDeposit", { depositor: addr.depositor, amount: { denom: USDAI, amount: units(40_000) } });
      state[mode].shares = (await balance("depositor", SUSDAI)) - sharesBefore;
      assert.ok(state[mode].shares > 0n, "staking minted sUSDai");
      assert.ok(BigInt((await q().yield.vault()).vault.totalShares) > BigInt(vaultBefore.totalShares));
    }
  });

  test("oracle: the feeder posts a price", async () => {
    // The localnet's validators price the feeds the protocol reads; the
    // feeder posts the B200 index, the one feed on the FEEDERS source.
    const feedId = "gpu/nvidia-b200-192gb";
    for (const mode of MODES) {
      const value = mode === "direct" ? "45000000000.0001" : "44999999999.9999";
      await send(mode, "feeder", "/infrafi.oracle.v1.MsgPostPrice", { feeder: addr.feeder, feedId, value });
      const { price } = await q().oracle.price({ feedId });
      assert.equal(price.value, `${value}00000000000000`, "the median of one feeder is its post, a decimal");
    }
  });

  test("insurance pool: fund and withdraw (caliber)", async () => {
    for (const mode of MODES) {
      await send(mode, "insurer", "/infrafi.caliber.v1.MsgFundInsurancePool", { insurer: addr.insurer, amount: units(50_000) });
      const funded = (await q().caliber.pool({ insurer: addr.insurer })).pool.balance;
      const before = await balance("insurer", USDAI);
      await send(mode, "insurer", "/infrafi.caliber.v1.MsgWithdrawInsurancePool", { insurer: addr.insurer, amount: units(1_000) });
      assert.equal(BigInt(funded) - BigInt((await q().caliber.pool({ insurer: addr.insurer })).pool.balance), BigInt(units(1_000)));
      assert.equal((await balance("insurer", USDAI)) - before, BigInt(units(1_000)));
    }
  });

  test("loans that will default: titles through custody, appraisal and insurance, underwritten and never repaid", async () => {
    for (const mode of MODES) {
      const title = await readyTitle(mode, "default");
      const principal = units(2_000);
      const loanId = await requestLoan(mode, [title], principal);
      await underwrite(mode, loanId, principal);
      state[mode].defaultLoan = loanId;
    }
  });

  test("sUSDai redemption queue: request, raise the bid, cancel (yield)", async () => {
    for (const mode of MODES) {
      // Requests are served when their epoch closes (every 60 s on a localnet) and
      // cannot be cancelled in its last seconds: start early in an epoch.
      await eventually("room in the current epoch", async () => {
        const { cancellable, cancelCutoff } = await q().yield.epoch();
        return cancellable && cancelCutoff.getTime() - Date.now() > 25_000;
      }, 90_000);
      const shares = String(state[mode].shares / 100n);
      await send(mode, "depositor", "/infrafi.yield.v1.MsgRequestRedeem", { owner: addr.depositor, shares, bidBps: 10 });
      const { requests } = await q().yield.redeemRequests({ owner: addr.depositor });
      const request = requests.find((r) => r.shares === shares && r.bidBps === 10);
      assert.ok(request, "the redemption request is queued");
      await send(mode, "depositor", "/infrafi.yield.v1.MsgUpdateBid", { owner: addr.depositor, requestId: request.id, bidBps: 25 });
      assert.equal((await q().yield.redeemRequest({ id: request.id })).request.bidBps, 25);
      const held = await balance("depositor", SUSDAI);
      await send(mode, "depositor", "/infrafi.yield.v1.MsgCancelRedeem", { owner: addr.depositor, requestId: request.id });
      assert.equal((await balance("depositor", SUSDAI)) - held, BigInt(shares), "cancelling returned the escrowed shares");
      assert.ok(!(await q().yield.redeemRequests({ owner: addr.depositor })).requests.some((r) => r.id === request.id));
    }
  });

  test("a loan that is repaid, with collateral added and withdrawn, and rent taken back from its lockbox", async () => {
    for (const mode of MODES) {
      const title = await readyTitle(mode, "repaid");
      const extra = await readyTitle(mode, "extra");

      const cancelled = await requestLoan(mode, [title], units(1_000));
      await send(mode, "borrower", "/infrafi.lending.v1.MsgCancelLoanRequest", { borrower: addr.borrower, loanId: cancelled });
      assert.equal((await q().lending.loan({ id: cancelled })).loan.status, LoanStatus.LOAN_STATUS_CANCELLED);
      assert.equal(await titleStatus(title), TitleStatus.TITLE_STATUS_ACTIVE, "cancelling released the title");
      assert.equal((await q().caliber.title({ id: title })).title.loanId, "0", "and cleared its lien");

      const principal = units(1_000);
      const loanId = await requestLoan(mode, [title], principal);
      await underwrite(mode, loanId, principal);

      await send(mode, "borrower", "/infrafi.lending.v1.MsgAddCollateral", { borrower: addr.borrower, loanId, titleIds: [extra] });
      assert.deepEqual((await q().lending.loan({ id: loanId })).loan.titleIds, [title, extra]);
      await send(mode, "borrower", "/infrafi.lending.v1.MsgWithdrawCollateral", { borrower: addr.borrower, loanId, titleIds: [extra] });
      assert.deepEqual((await q().lending.loan({ id: loanId })).loan.titleIds, [title]);

      const owedBefore = BigInt((await q().lending.loan({ id: loanId })).loan.senior.balance);
      await send(mode, "borrower", "/infrafi.lending.v1.MsgRepay", { payer: addr.borrower, loanId, amount: units(300) });
      assert.ok(BigInt((await q().lending.loan({ id: loanId })).loan.senior.balance) < owedBefore, "repaying lowered the senior balance");

      // Rent paid into the loan's lockbox by a plain bank send; the borrower
      // takes back part of what exceeds the next two installments (half, so a
      // due-date sweep in between cannot push it over the limit).
      const { lockbox } = await q().lending.loan({ id: loanId });
      await send(mode, "depositor", "/cosmos.bank.v1beta1.MsgSend", { fromAddress: addr.depositor, toAddress: lockbox, amount: [{ denom: USDAI, amount: units(2_000) }] });
      const { withdrawable } = await q().lending.loan({ id: loanId });
      assert.ok(BigInt(withdrawable) > 0n, `the lockbox holds more than two installments: withdrawable ${withdrawable}`);
      const take = (BigInt(withdrawable) / 2n).toString();
      const usdaiBefore = await balance("borrower", USDAI);
      await send(mode, "borrower", "/infrafi.lending.v1.MsgWithdrawLockbox", { borrower: addr.borrower, loanId, amount: [{ denom: USDAI, amount: take }] });
      assert.equal((await balance("borrower", USDAI)) - usdaiBefore, BigInt(take), "the borrower received what it withdrew");
      state[mode].extraTitle = extra;
    }
  });

  test("title life: attest custody, transfer, redemption, casualty, policy request cancelled (caliber)", async () => {
    for (const mode of MODES) {
      const id = state[mode].extraTitle;
      await send(mode, "custodian", "/infrafi.caliber.v1.MsgAttestCustody", { custodian: addr.custodian, titleIds: [id], online: true, uptimeBps: 9990 - (mode === "amino" ? 1 : 0), facility: "DAL-02" });
      const { custody } = await q().caliber.title({ id });
      assert.equal(custody.uptimeBps, 9990 - (mode === "amino" ? 1 : 0));
      assert.equal(custody.facility, "DAL-02");
      assert.equal(custody.online, true);

      const redeemed = await mintTitle(mode, "redeemed");
      await send(mode, "custodian", "/infrafi.caliber.v1.MsgConfirmCustody", { custodian: addr.custodian, titleId: redeemed });
      await send(mode, "borrower", "/infrafi.caliber.v1.MsgRequestPolicy", {
        owner: addr.borrower, titleId: redeemed, insurer: addr.insurer, insuredValue: units(20_000), coverage: units(1_000),
        expiresAt: new Date(Date.now() + 24 * 3600 * 1000), maxPremium: units(10),
      });
      const pending = (await q().caliber.policyRequests({ insurer: addr.insurer })).requests.find((r) => r.titleId === redeemed);
      assert.ok(pending);
      await send(mode, "borrower", "/infrafi.caliber.v1.MsgCancelPolicyRequest", { owner: addr.borrower, requestId: pending.id });
      assert.ok(!(await q().caliber.policyRequests({ insurer: addr.insurer })).requests.some((r) => r.id === pending.id));

      await send(mode, "borrower", "/infrafi.caliber.v1.MsgRequestRedemption", { owner: addr.borrower, titleId: redeemed });
      assert.equal(await titleStatus(redeemed), TitleStatus.TITLE_STATUS_REDEMPTION_REQUESTED);
      await send(mode, "borrower", "/infrafi.caliber.v1.MsgCancelRedemption", { owner: addr.borrower, titleId: redeemed });
      assert.equal(await titleStatus(redeemed), TitleStatus.TITLE_STATUS_ACTIVE);
      await send(mode, "borrower", "/infrafi.caliber.v1.MsgRequestRedemption", { owner: addr.borrower, titleId: redeemed });
      await send(mode, "custodian", "/infrafi.caliber.v1.MsgConfirmRedemption", { custodian: addr.custodian, titleId: redeemed });
      // A redeemed title is burned: the query no longer finds it.
      await assert.rejects(q().caliber.title({ id: redeemed }), (e) => e instanceof QueryError && /not found/i.test(e.body));

      await send(mode, "borrower", "/infrafi.caliber.v1.MsgTransferTitle", { owner: addr.borrower, titleId: id, recipient: addr.depositor });
      assert.equal((await q().caliber.title({ id })).title.owner, addr.depositor);

      await send(mode, "custodian", "/infrafi.caliber.v1.MsgReportCasualty", { custodian: addr.custodian, titleId: id, reason: "fire in hall 3" });
      assert.equal(await titleStatus(id), TitleStatus.TITLE_STATUS_CASUALTY);
    }
  });

  test("treasury: the treasury custodian settles T-bill yield (yield)", async () => {
    for (const mode of MODES) {
      const before = (await q().yield.vault()).vault;
      await send(mode, "treasury", "/infrafi.yield.v1.MsgSettleTreasury", { custodian: addr.treasury, principal: "0", yield: units(1) });
      const after = (await q().yield.vault()).vault;
      assert.equal(BigInt(after.treasury.realizedYield) - BigInt(before.treasury.realizedYield), BigInt(units(1)));
    }
  });

  test("auction: the unpaid loans default and a bidder buys the collateral (lending)", async () => {
    for (const mode of MODES) {
      const loanId = state[mode].defaultLoan;
      // A loan's auction has the loan's id.
      const auction = await eventually(`loan ${loanId}'s auction`, async () => (await q().lending.auction({ id: loanId })).auction);
      await send(mode, "depositor", "/infrafi.stable.v1.MsgMint", { sender: addr.depositor, amount: { denom: USDC, amount: auction.topPrice } });
      const before = await balance("depositor", USDAI);
      await send(mode, "depositor", "/infrafi.lending.v1.MsgBid", {
        bidder: addr.depositor,
        auctionId: auction.id,
        maxPrice: { denom: USDAI, amount: auction.topPrice },
      });
      assert.ok((await balance("depositor", USDAI)) < before, "the bidder paid");
      for (const t of auction.titleIds) assert.equal((await q().caliber.title({ id: t })).title.owner, addr.depositor);
    }
  });

  test("every user message was sent in both sign modes", () => {
    const user = msgEntries.filter((e) => e.signer !== "authority").map((e) => e.typeUrl);
    assert.ok(user.length >= 29);
    for (const mode of MODES) {
      assert.deepEqual(user.filter((u) => !sent[mode].has(u)), [], `${mode}: messages not covered`);
    }
  });
});

describe("README: Building a dApp", () => {
  test("the README's example is examples/mint-and-stake.ts", async () => {
    const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Building a dApp"));
    const block = /```ts\n([\s\S]*?)```/.exec(section);
    assert.ok(block, "the section has a ts block");
    assert.equal(block[1], await readFile(new URL("../examples/mint-and-stake.ts", import.meta.url), "utf8"));
  });

  test("the example mints USDai and stakes it in both sign modes", async () => {
    const { mnemonic } = net.keys.depositor;
    for (const signer of [
      await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "infra" }),
      await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "infra" }),
    ]) {
      const { minted, shares, sharePrice } = await mintAndStake(signer, net.rpc, net.rest, units(100));
      // 100 USDC less the PSM's 10 bps mint fee.
      assert.equal(minted, BigInt(units(100)) - BigInt(units(100)) / 1000n);
      assert.ok(shares > 0n && shares <= minted * 2n, `shares ${shares}`);
      assert.match(sharePrice, /^\d+\.\d{18}$/);
    }
  });
});

describe("bad input and chain errors", () => {
  test("a malformed address, a negative amount and an unknown denom are refused before signing", async () => {
    for (const mode of MODES) {
      const c = clients[mode].depositor;
      const seq = (await c.signing.getSequence(addr.depositor)).sequence;
      const cases = [
        [{ sender: addr.depositor.slice(0, -1) + "x", amount: { denom: USDC, amount: "1" } }, "address"],
        [{ sender: addr.depositor, amount: { denom: USDC, amount: "-5" } }, "amount"],
        [{ sender: addr.depositor, amount: { denom: "unobtainium", amount: "5" } }, "denom"],
      ];
      for (const [value, reason] of cases) {
        await assert.rejects(c.signAndBroadcast(addr.depositor, [{ typeUrl: "/infrafi.stable.v1.MsgMint", value }]), (e) => {
          assert.ok(e instanceof InfrafiValidationError, e.message);
          assert.equal(e.reason, reason);
          return true;
        });
      }
      assert.equal((await c.signing.getSequence(addr.depositor)).sequence, seq, "nothing was broadcast");
    }
  });

  test("a chain error comes back with its codespace and code", async () => {
    for (const mode of MODES) {
      const c = clients[mode].custodian;
      await assert.rejects(
        c.signAndBroadcast(addr.custodian, [{ typeUrl: "/infrafi.caliber.v1.MsgConfirmCustody", value: { custodian: addr.custodian, titleId: "999999999" } }]),
        (e) => {
          assert.ok(e instanceof ChainError, e.message);
          assert.equal(e.codespace, "caliber");
          assert.ok(e.code >= 2);
          assert.match(e.txHash, /^[0-9A-F]{64}$/);
          return true;
        },
      );
    }
  });
});
