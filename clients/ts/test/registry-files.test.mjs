// The wallet and registry files `infrafid registry` writes: the two
// chain-registry files validate against the registry's JSON schemas (copied
// from the cosmos/chain-registry repository into test/schemas), the Keplr
// ChainInfo carries what experimentalSuggestChain needs, and an unknown
// network is refused.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

import Ajv from "ajv";
import addFormats from "ajv-formats";
import { createRequire } from "node:module";

const draft07 = createRequire(import.meta.url)("ajv/dist/refs/json-schema-draft-07.json");

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.INFRAFID ?? resolve(here, "../../../build/infrafid");
const readJson = async (path) => JSON.parse(await readFile(path, "utf8"));

let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "infrafi-registry-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function generate(network, extra = []) {
  const out = join(dir, network);
  await run(binary, ["registry", "--network", network, "--output-dir", out, ...extra]);
  return out;
}

function validator(schema) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // The registry's schemas name draft-07 by its https address; Ajv knows it by the http one.
  ajv.addMetaSchema({ ...draft07, $id: "https://json-schema.org/draft-07/schema" });
  return ajv.compile(schema);
}

describe("infrafid registry", () => {
  for (const [network, extra] of [
    ["localnet", []],
    ["testnet", ["--rpc", "https://rpc.testnet.example", "--rest", "https://api.testnet.example"]],
  ]) {
    test(`${network}: chain.json and assetlist.json validate against the chain-registry schemas`, async () => {
      const out = await generate(network, extra);
      assert.deepEqual((await readdir(out)).sort(), ["assetlist.json", "chain.json", "keplr-chain-info.json", "pingpub.json"]);
      for (const name of ["chain", "assetlist"]) {
        const validate = validator(await readJson(join(here, "schemas", `${name}.schema.json`)));
        const doc = await readJson(join(out, `${name}.json`));
        assert.ok(validate(doc), `${name}.json: ${JSON.stringify(validate.errors, null, 2)}`);
        assert.ok(!validate({ ...doc, chain_name: "Not A Name!", surprise: true }), "the schema is really applied");
      }
      const chain = await readJson(join(out, "chain.json"));
      assert.equal(chain.bech32_prefix, "infra");
      assert.equal(chain.fees.fee_tokens[0].denom, "uinfra");
      const assets = (await readJson(join(out, "assetlist.json"))).assets;
      assert.deepEqual(assets.map((a) => a.base), ["uinfra", "uusdai", "ususdai"]);
      for (const a of assets) assert.deepEqual(a.denom_units.map((u) => u.exponent), [0, 6]);
    });

    test(`${network}: the Keplr ChainInfo and the Ping.pub config`, async () => {
      const out = await generate(network, extra);
      const keplr = await readJson(join(out, "keplr-chain-info.json"));
      for (const key of ["chainId", "chainName", "rpc", "rest", "bip44", "bech32Config", "currencies", "feeCurrencies", "stakeCurrency"]) {
        assert.ok(keplr[key] !== undefined, `ChainInfo.${key}`);
      }
      assert.equal(keplr.bip44.coinType, 118);
      assert.deepEqual(keplr.bech32Config, {
        bech32PrefixAccAddr: "infra",
        bech32PrefixAccPub: "infrapub",
        bech32PrefixValAddr: "infravaloper",
        bech32PrefixValPub: "infravaloperpub",
        bech32PrefixConsAddr: "infravalcons",
        bech32PrefixConsPub: "infravalconspub",
      });
      assert.deepEqual(keplr.currencies.map((c) => [c.coinDenom, c.coinMinimalDenom, c.coinDecimals]), [
        ["INFRA", "uinfra", 6],
        ["USDai", "uusdai", 6],
        ["sUSDai", "ususdai", 6],
      ]);
      const step = keplr.feeCurrencies[0].gasPriceStep;
      assert.ok(step.low < step.average && step.average < step.high);
      const ping = await readJson(join(out, "pingpub.json"));
      assert.equal(ping.addr_prefix, "infra");
      assert.deepEqual(ping.rpc, [keplr.rpc]);
      assert.deepEqual(ping.api, [keplr.rest]);
    });
  }

  test("an unknown network is refused with a clear message and nothing written", async () => {
    const out = join(dir, "mainnet");
    await assert.rejects(run(binary, ["registry", "--network", "mainnet", "--output-dir", out]), (e) => {
      assert.match(e.stderr, /unknown network "mainnet": choose localnet or testnet/);
      return true;
    });
    await assert.rejects(readdir(out), { code: "ENOENT" });
  });
});
