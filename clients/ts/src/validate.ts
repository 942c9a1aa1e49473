// Client-side checks run on every infrafi message before it is signed, driven
// by the same field metadata as the amino converters: what the protos mark as
// an address, an integer amount, a decimal or a coin is checked as such.
import { fromBech32 } from "@cosmjs/encoding";

import { isDecimal } from "./decimal.js";
import { fieldsOf } from "./amino.js";
import { InfrafiValidationError } from "./errors.js";

const COIN = "cosmos.base.v1beta1.Coin";
const TIMESTAMP = "google.protobuf.Timestamp";
const DURATION = "google.protobuf.Duration";

export interface ValidationContext {
  /** Bech32 prefix of account addresses, "infra" on every infrafi network. */
  readonly prefix: string;
  /** Denoms the chain knows (bank supply and metadata); unset skips the denom check. */
  readonly denoms?: ReadonlySet<string>;
}

/** Throws InfrafiValidationError if the address is not a bech32 account address with the prefix. */
export function checkAddress(address: string, prefix: string, path = "address"): void {
  let decoded;
  try {
    decoded = fromBech32(address, 256);
  } catch (e) {
    throw new InfrafiValidationError(path, "address", `${JSON.stringify(address)} is not a bech32 address: ${(e as Error).message}`);
  }
  if (decoded.prefix !== prefix) {
    throw new InfrafiValidationError(path, "address", `${address} has prefix ${decoded.prefix}, want ${prefix}`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw new InfrafiValidationError(path, "address", `${address} holds ${decoded.data.length} bytes, want 20 or 32`);
  }
}

function checkAmount(amount: string, path: string): void {
  if (amount === "") return;
  if (/^-\d+$/.test(amount)) throw new InfrafiValidationError(path, "amount", `amount ${amount} is negative`);
  if (!/^\d+$/.test(amount)) throw new InfrafiValidationError(path, "amount", `amount ${JSON.stringify(amount)} is not a whole number of base units`);
}

function checkDenom(denom: string, ctx: ValidationContext, path: string): void {
  if (denom === "" || !ctx.denoms) return;
  if (!ctx.denoms.has(denom)) {
    throw new InfrafiValidationError(path, "denom", `denom ${JSON.stringify(denom)} is unknown to the chain (known: ${[...ctx.denoms].sort().join(", ")})`);
  }
}

/** Walks a message value of the given protobuf type and throws on the first invalid field. */
export function validateValue(typeName: string, value: any, ctx: ValidationContext, path = typeName): void {
  if (value === undefined || value === null || typeName === TIMESTAMP || typeName === DURATION) return;
  for (const f of fieldsOf(typeName)) {
    const raw = value[f.json];
    if (raw === undefined || raw === null) continue;
    const items: { v: any; p: string }[] = f.repeated
      ? (raw as any[]).map((v, i) => ({ v, p: `${path}.${f.name}[${i}]` }))
      : [{ v: raw, p: `${path}.${f.name}` }];
    for (const { v, p } of items) {
      if (f.kind === "message") {
        validateValue(f.type!, v, ctx, p);
      } else if (f.scalar === "cosmos.AddressString") {
        if (v !== "") checkAddress(v, ctx.prefix, p);
      } else if (f.scalar === "cosmos.Int" || (typeName === COIN && f.name === "amount")) {
        checkAmount(String(v), p);
      } else if (f.scalar === "cosmos.Dec") {
        if (v !== "" && !isDecimal(v)) throw new InfrafiValidationError(p, "decimal", `${JSON.stringify(v)} is not a decimal with at most 18 places, e.g. "0.98"`);
      } else if (f.kind === "string" && (f.name === "denom" || f.name.endsWith("_denom"))) {
        checkDenom(v, ctx, p);
      }
    }
  }
}
