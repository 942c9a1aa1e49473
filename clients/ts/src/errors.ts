/** Why the client refused a message before signing it. */
export type ValidationReason = "address" | "amount" | "denom" | "decimal" | "message";

/**
 * Raised before signing when a message cannot be valid: a malformed address,
 * a negative or non-integer amount, a denom the chain does not know, a
 * malformed decimal or an unknown message type. Nothing was broadcast.
 */
export class InfrafiValidationError extends Error {
  override readonly name = "InfrafiValidationError";
  constructor(
    /** Where in the message, e.g. "infrafi.stable.v1.MsgMint.amount.denom". */
    readonly path: string,
    readonly reason: ValidationReason,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** A transaction the chain rejected, in CheckTx or in the block. */
export class ChainError extends Error {
  override readonly name = "ChainError";
  constructor(
    /** The registering module's codespace, e.g. "stable" or "sdk". */
    readonly codespace: string,
    /** The error's code within its codespace. */
    readonly code: number,
    readonly rawLog: string,
    readonly txHash: string,
    readonly height: number,
  ) {
    super(`${codespace} error ${code}: ${rawLog}`);
  }
}

/** A REST query that did not answer 200. */
export class QueryError extends Error {
  override readonly name = "QueryError";
  constructor(
    readonly status: number,
    readonly url: string,
    /** gRPC status code from the gateway's error body, when present. */
    readonly grpcCode: number | undefined,
    readonly body: string,
  ) {
    super(`GET ${url}: HTTP ${status}: ${body}`);
  }
}
