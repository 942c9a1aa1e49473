// A signing client for infrafi: CosmJS's SigningStargateClient with the
// infrafi registry and amino converters, client-side validation before
// signing, and chain errors raised with their codespace and code. The sign
// mode follows the signer: a direct signer (DirectSecp256k1HdWallet, Keplr's
// getOfflineSigner) signs SIGN_MODE_DIRECT, an amino-only signer
// (Secp256k1HdWallet, getOfflineSignerOnlyAmino, Ledger) signs amino JSON.
import type { EncodeObject, OfflineSigner } from "@cosmjs/proto-signing";
import { BroadcastTxError, GasPrice, SigningStargateClient, calculateFee, type DeliverTxResponse } from "@cosmjs/stargate";

import { ChainError, InfrafiValidationError } from "./errors.js";
import { msgEntries } from "./generated/index.js";
import { InfrafiQueryClient, type Fetch } from "./query.js";
import { createInfrafiAminoTypes, createInfrafiRegistry, typeNameOf } from "./registry.js";
import { checkAddress, validateValue } from "./validate.js";

/** Bech32 prefix of infrafi account addresses. */
export const INFRAFI_PREFIX = "infra";
/** The staking and fee denom. */
export const INFRAFI_FEE_DENOM = "uinfra";

export interface InfrafiClientOptions {
  /** CometBFT RPC, e.g. http://127.0.0.1:26657. */
  readonly rpc: string;
  /** REST API, e.g. http://127.0.0.1:1317. */
  readonly rest: string;
  /** Fee per unit of gas; default 0.025uinfra. */
  readonly gasPrice?: string;
  /** Simulated gas times this is the gas limit; default 1.5. */
  readonly gasMultiplier?: number;
  /** Gas limit used when simulation fails, so the chain reports the error with its codespace and code; default 2,000,000. */
  readonly fallbackGas?: number;
  readonly prefix?: string;
  readonly fetch?: Fetch;
}

const infrafiTypeUrls = new Set<string>(msgEntries.map((e) => e.typeUrl));
const signerFields = new Map<string, string>(msgEntries.map((e) => [e.typeUrl, e.signer]));
const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export class InfrafiClient {
  private knownDenoms: Set<string> | undefined;

  private constructor(
    readonly signing: SigningStargateClient,
    readonly query: InfrafiQueryClient,
    private readonly opts: Required<Pick<InfrafiClientOptions, "gasPrice" | "gasMultiplier" | "fallbackGas" | "prefix">>,
  ) {}

  static async connect(signer: OfflineSigner, options: InfrafiClientOptions): Promise<InfrafiClient> {
    const signing = await SigningStargateClient.connectWithSigner(options.rpc, signer, {
      registry: createInfrafiRegistry(),
      aminoTypes: createInfrafiAminoTypes(),
    });
    return new InfrafiClient(signing, new InfrafiQueryClient(options.rest, options.fetch), {
      gasPrice: options.gasPrice ?? `0.025${INFRAFI_FEE_DENOM}`,
      gasMultiplier: options.gasMultiplier ?? 1.5,
      fallbackGas: options.fallbackGas ?? 2_000_000,
      prefix: options.prefix ?? INFRAFI_PREFIX,
    });
  }

  /** The typed REST queries, client.queries.<module>.<query>(request). */
  get queries() {
    return this.query.queries;
  }

  /** Denoms the chain knows, read once and kept; refresh() forgets them. */
  async denoms(): Promise<ReadonlySet<string>> {
    this.knownDenoms ??= await this.query.denoms();
    return this.knownDenoms;
  }

  refresh(): void {
    this.knownDenoms = undefined;
  }

  /**
   * Checks every infrafi message as the chain would check its form: addresses,
   * amounts, denoms and decimals. Throws InfrafiValidationError; signs nothing.
   */
  async validate(signer: string, messages: readonly EncodeObject[]): Promise<void> {
    checkAddress(signer, this.opts.prefix, "signer");
    const ctx = { prefix: this.opts.prefix, denoms: await this.denoms() };
    for (const [i, m] of messages.entries()) {
      if (!infrafiTypeUrls.has(m.typeUrl)) {
        if (!this.signing.registry.lookupType(m.typeUrl)) {
          throw new InfrafiValidationError(`messages[${i}]`, "message", `unknown message type ${m.typeUrl}`);
        }
        continue;
      }
      const signerField = camel(signerFields.get(m.typeUrl)!);
      if (m.value?.[signerField] !== signer) {
        throw new InfrafiValidationError(`messages[${i}].${signerField}`, "address", `is ${m.value?.[signerField]}, not the signing account ${signer}`);
      }
      validateValue(typeNameOf(m.typeUrl), m.value, ctx, `messages[${i}]`);
    }
  }

  /**
   * Validates, simulates for gas, signs (in the signer's mode) and broadcasts,
   * waiting for the block. A rejected transaction raises ChainError with the
   * codespace and code the chain returned.
   */
  async signAndBroadcast(signer: string, messages: readonly EncodeObject[], memo = ""): Promise<DeliverTxResponse> {
    await this.validate(signer, messages);
    let gas: number;
    try {
      gas = Math.ceil((await this.signing.simulate(signer, messages, memo)) * this.opts.gasMultiplier);
    } catch {
      // The simulation's error carries no codespace; broadcasting lets the chain report it.
      gas = this.opts.fallbackGas;
    }
    const fee = calculateFee(gas, GasPrice.fromString(this.opts.gasPrice));
    let res: DeliverTxResponse;
    try {
      res = await this.signing.signAndBroadcast(signer, messages, fee, memo);
    } catch (e) {
      if (e instanceof BroadcastTxError) throw new ChainError(e.codespace, e.code, e.log ?? "", "", 0);
      throw e;
    }
    if (res.code !== 0) {
      const tx = await this.query.getJson(`/cosmos/tx/v1beta1/txs/${res.transactionHash}`);
      const r = tx.tx_response ?? {};
      throw new ChainError(r.codespace ?? "", res.code, r.raw_log ?? "", res.transactionHash, res.height);
    }
    return res;
  }

  disconnect(): void {
    this.signing.disconnect();
  }
}
