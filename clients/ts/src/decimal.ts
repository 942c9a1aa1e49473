// cosmos.Dec (math.LegacyDec) has 18 fractional digits. Its protobuf wire form
// is the integer of atomics ("980000000000000000" for 0.98); REST and amino
// JSON show it as a decimal ("0.980000000000000000"). This client uses the
// decimal form everywhere a user reads or writes one and converts at the wire.

export const DEC_PRECISION = 18;

const decimalPattern = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Whether s is a decimal this client accepts, e.g. "0.98", "15", "-0.5". */
export function isDecimal(s: string): boolean {
  const m = decimalPattern.exec(s);
  return m !== null && (m[3] ?? "").length <= DEC_PRECISION;
}

/** "0.98" → "980000000000000000". Throws on a malformed decimal or more than 18 fractional digits. */
export function decToAtomics(dec: string): string {
  const m = decimalPattern.exec(dec);
  if (m === null) throw new Error(`${JSON.stringify(dec)} is not a decimal`);
  const frac = m[3] ?? "";
  if (frac.length > DEC_PRECISION) throw new Error(`${dec} has more than ${DEC_PRECISION} decimal places`);
  const atomics = BigInt(m[2] + frac.padEnd(DEC_PRECISION, "0"));
  return (m[1] === "-" && atomics !== 0n ? "-" : "") + atomics.toString();
}

/** "980000000000000000" → "0.980000000000000000", as LegacyDec.String() prints it. */
export function atomicsToDec(atomics: string): string {
  if (!/^-?\d+$/.test(atomics)) throw new Error(`${JSON.stringify(atomics)} is not an integer`);
  const negative = atomics.startsWith("-");
  const digits = BigInt(negative ? atomics.slice(1) : atomics)
    .toString()
    .padStart(DEC_PRECISION + 1, "0");
  const cut = digits.length - DEC_PRECISION;
  return `${negative ? "-" : ""}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** "0.98" → "0.980000000000000000". */
export function normalizeDec(dec: string): string {
  return atomicsToDec(decToAtomics(dec));
}
