// Checks that need no chain: decimals, the amino converters against the
// chain's encoding rules, the registry's coverage of the generated message
// table, validation and REST URLs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  InfrafiValidationError,
  atomicsToDec,
  createInfrafiAminoTypes,
  createInfrafiRegistry,
  decToAtomics,
  msgEntries,
  queryEntries,
  requestUrl,
  validateValue,
} from "../dist/src/index.js";

const ADDR = "infra1qyqszqgpqyqszqgpqyqszqgpqyqszqgpzpps2x"; // 20 bytes of 0x01

describe("decimals", () => {
  test("human decimals and LegacyDec atomics convert both ways", () => {
    assert.equal(decToAtomics("0.98"), "980000000000000000");
    assert.equal(decToAtomics("15"), "15000000000000000000");
    assert.equal(decToAtomics("-0.5"), "-500000000000000000");
    assert.equal(decToAtomics("0"), "0");
    assert.equal(atomicsToDec("980000000000000000"), "0.980000000000000000");
    assert.equal(atomicsToDec("-5"), "-0.000000000000000005");
    assert.equal(atomicsToDec("0"), "0.000000000000000000");
    assert.throws(() => decToAtomics("1e5"));
    assert.throws(() => decToAtomics("0.1234567890123456789"));
  });
});

describe("registry and amino converters", () => {
  const registry = createInfrafiRegistry();
  const amino = createInfrafiAminoTypes();

  test("every generated Msg is registered with its proto amino name", () => {
    assert.ok(msgEntries.length >= 40);
    for (const e of msgEntries) {
      assert.ok(registry.lookupType(e.typeUrl), e.typeUrl);
      assert.match(e.aminoType, /^infrafi\/[a-z]+\/Msg[A-Za-z]+$/);
      const json = amino.toAmino({ typeUrl: e.typeUrl, value: e.type.fromPartial({}) });
      assert.equal(json.type, e.aminoType);
      assert.equal(amino.fromAmino(json).typeUrl, e.typeUrl);
    }
  });

  test("amino JSON follows the chain's encoder: sorted snake_case keys, empty fields omitted, decimals with 18 places, 64-bit integers quoted, RFC 3339 times", () => {
    const value = { feeder: ADDR, feedId: "rate/tbill", value: "0.0525", expiresAt: new Date("2026-01-01T00:00:00Z") };
    const json = amino.toAmino({ typeUrl: "/infrafi.oracle.v1.MsgPostPrice", value });
    assert.equal(
      JSON.stringify(json),
      `{"type":"infrafi/oracle/MsgPostPrice","value":{"expires_at":"2026-01-01T00:00:00Z","feed_id":"rate/tbill","feeder":"${ADDR}","value":"0.052500000000000000"}}`,
    );
    const title = amino.toAmino({ typeUrl: "/infrafi.caliber.v1.MsgAttestCustody", value: { custodian: ADDR, titleIds: ["7", "9"], online: false, uptimeBps: 0 } });
    assert.deepEqual(title.value, { custodian: ADDR, title_ids: ["7", "9"] });
  });

  test("an amino round trip and the wire encoding keep every field", () => {
    const value = {
      curator: ADDR,
      loanId: "12",
      apr: "0.15",
      juniorAmount: "1000",
    };
    const msg = { typeUrl: "/infrafi.lending.v1.MsgUnderwriteLoan", value };
    const back = amino.fromAmino(amino.toAmino(msg));
    const decoded = registry.decode({ typeUrl: back.typeUrl, value: registry.encode(back) });
    assert.deepEqual(decoded, { curator: ADDR, loanId: "12", apr: "0.150000000000000000", juniorAmount: "1000" });
    // On the wire a cosmos.Dec is LegacyDec atomics, as the chain's gogoproto codec reads it.
    const direct = registry.decode({ typeUrl: msg.typeUrl, value: registry.encode(msg) });
    assert.equal(direct.apr, "0.150000000000000000");
  });
});

describe("validation", () => {
  const ctx = { prefix: "infra", denoms: new Set(["uusdc", "uusdai"]) };
  const reasonOf = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof InfrafiValidationError);
      return e.reason;
    }
    return undefined;
  };
  test("addresses, amounts, denoms and decimals are checked by what the proto says they are", () => {
    const mint = (v) => () => validateValue("infrafi.stable.v1.MsgMint", v, ctx);
    assert.equal(reasonOf(mint({ sender: ADDR, amount: { denom: "uusdc", amount: "5" } })), undefined);
    assert.equal(reasonOf(mint({ sender: "cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du", amount: { denom: "uusdc", amount: "5" } })), "address");
    assert.equal(reasonOf(mint({ sender: "infra1nope", amount: { denom: "uusdc", amount: "5" } })), "address");
    assert.equal(reasonOf(mint({ sender: ADDR, amount: { denom: "uusdc", amount: "-5" } })), "amount");
    assert.equal(reasonOf(mint({ sender: ADDR, amount: { denom: "uusdc", amount: "1.5" } })), "amount");
    assert.equal(reasonOf(mint({ sender: ADDR, amount: { denom: "ufoo", amount: "5" } })), "denom");
    const uw = (apr) => () => validateValue("infrafi.lending.v1.MsgUnderwriteLoan", { curator: ADDR, loanId: "1", apr, juniorAmount: "1" }, ctx);
    assert.equal(reasonOf(uw("0.15")), undefined);
    assert.equal(reasonOf(uw("15%")), "decimal");
    assert.equal(reasonOf(() => validateValue("infrafi.lending.v1.MsgRepay", { payer: ADDR, loanId: "1", amount: "-1" }, ctx)), "amount");
  });
});

describe("REST queries", () => {
  test("path fields fill the gateway template, the rest become snake_case query parameters", () => {
    assert.equal(requestUrl(queryEntries.caliber.title, { id: "5" }), "/infrafi/caliber/v1/titles/5");
    assert.equal(requestUrl(queryEntries.oracle.price, { feedId: "gpu/nvidia-h100-sxm5-80gb" }), "/infrafi/oracle/v1/price/gpu/nvidia-h100-sxm5-80gb");
    const loans = queryEntries.lending.loans;
    assert.equal(
      requestUrl(loans, loans.request.fromPartial({ borrower: ADDR, pagination: { limit: "10", countTotal: true } })),
      `/infrafi/lending/v1/loans?borrower=${ADDR}&pagination.limit=10&pagination.count_total=true`,
    );
    assert.throws(() => requestUrl(queryEntries.caliber.title, {}), /id is required/);
  });
});
