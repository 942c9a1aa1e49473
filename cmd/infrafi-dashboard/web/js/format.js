// Formatting of chain values. Amounts arrive as integer strings in micro
// units and decimals as 18-digit strings: both are handled with BigInt and
// string arithmetic so no figure is rounded through a float.

const MICRO = 6;

// escapeHTML makes any chain string safe to put in markup.
export function escapeHTML(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// Raw marks markup that html`` must not escape.
class Raw {
  constructor(s) { this.s = s; }
  toString() { return this.s; }
}
export const raw = (s) => new Raw(s);

// html is a template tag that escapes every interpolated value except Raw
// ones and arrays of them.
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return raw(out);
}
function render(v) {
  if (v instanceof Raw) return v.s;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHTML(v);
}

function groupThousands(intPart) {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// isInt reports whether s is an integer string the chain would send.
export function isInt(s) {
  return typeof s === 'string' && /^-?\d+$/.test(s);
}

// fixed writes an integer amount of 10^-scale units with `places` decimals
// (truncated, like the chain's integer maths) and thousands separators.
export function fixed(amount, scale, places) {
  if (!isInt(String(amount))) return '—';
  let v = BigInt(amount);
  const neg = v < 0n;
  if (neg) v = -v;
  const unit = 10n ** BigInt(scale);
  const whole = v / unit;
  let frac = (v % unit).toString().padStart(scale, '0').slice(0, places);
  return (neg ? '-' : '') + groupThousands(whole.toString()) + (places > 0 ? '.' + frac : '');
}

// usd writes uusdai (or any 6-decimal micro amount) as whole units with cents.
export function usd(amount) {
  return fixed(amount, MICRO, 2);
}

// dec parses a decimal string ("1.050000000000000000") into [BigInt scaled 10^18].
export function decScaled(s) {
  if (typeof s !== 'string' || !/^-?\d+(\.\d+)?$/.test(s)) return null;
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(i) * 10n ** 18n + BigInt((f + '0'.repeat(18)).slice(0, 18));
  return neg ? -v : v;
}

// decimal writes a decimal string with `places` decimals (truncated).
export function decimal(s, places = 6) {
  const v = decScaled(s);
  if (v === null) return '—';
  return fixed(v.toString(), 18, places);
}

// pct writes a decimal fraction ("0.15") as a percentage ("15.00%").
export function pct(s, places = 2) {
  const v = decScaled(s);
  if (v === null) return '—';
  return fixed((v * 100n).toString(), 18, places) + '%';
}

// ratioPct writes a / b as a percentage with two decimals; '—' when b is 0.
export function ratioPct(a, b) {
  if (!isInt(String(a)) || !isInt(String(b)) || BigInt(b) === 0n) return '—';
  return fixed(((BigInt(a) * 10n ** 4n) / BigInt(b)).toString(), 2, 2) + '%';
}

// bps writes basis points as a percentage.
export function bps(n) {
  if (n === undefined || n === null || n === '') return '—';
  return fixed(String(n), 2, 2) + '%';
}

// denomName names a micro denom for people: uusdc → USDC, ibc/… stays as is.
export function denomName(denom) {
  if (typeof denom !== 'string') return '—';
  if (/^u[a-z]+$/.test(denom)) return denom.slice(1).toUpperCase().replace('USDAI', 'USDai').replace('SUSDAI', 'sUSDai');
  return denom;
}

// Zero timestamps (proto's zero time) mean "not set".
export function isSet(ts) {
  return typeof ts === 'string' && ts !== '' && !ts.startsWith('0001-01-01');
}

// utc writes a timestamp as "2026-12-05 12:30:05 UTC".
export function utc(ts) {
  if (!isSet(ts)) return '—';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '').replace('Z', '') + ' UTC';
}

// relative writes the distance from `now` (the latest block time) to ts.
export function relative(ts, now) {
  if (!isSet(ts) || !now) return '';
  const secs = Math.round((new Date(ts).getTime() - now.getTime()) / 1000);
  const abs = Math.abs(secs);
  let s;
  if (abs < 60) s = `${abs} s`;
  else if (abs < 3600) s = `${Math.floor(abs / 60)} min ${abs % 60} s`;
  else if (abs < 86400) s = `${Math.floor(abs / 3600)} h ${Math.floor((abs % 3600) / 60)} min`;
  else s = `${Math.floor(abs / 86400)} d ${Math.floor((abs % 86400) / 3600)} h`;
  return secs >= 0 ? `in ${s}` : `${s} ago`;
}

// when writes a time in UTC with its relative distance underneath.
export function when(ts, now) {
  if (!isSet(ts)) return html`<span class="muted">—</span>`;
  return html`<time datetime="${ts}">${utc(ts)}</time><small class="rel">${relative(ts, now)}</small>`;
}

// duration writes a protobuf JSON duration ("60s") readably.
export function duration(d) {
  if (typeof d !== 'string' || !/^\d+(\.\d+)?s$/.test(d)) return '—';
  const secs = Math.round(parseFloat(d));
  if (secs < 120) return `${secs} s`;
  if (secs < 7200) return `${Math.round(secs / 60)} min`;
  if (secs < 172800) return `${Math.round(secs / 3600)} h`;
  return `${Math.round(secs / 86400)} d`;
}

// enumName shortens a proto enum value: LOAN_STATUS_ACTIVE → ACTIVE.
export function enumName(v, prefix) {
  if (typeof v !== 'string') return '—';
  return v.startsWith(prefix) ? v.slice(prefix.length) : v;
}

// short abbreviates a bech32 address for tables (the full one is the title).
export function short(addr) {
  if (typeof addr !== 'string' || addr === '') return '—';
  return addr.length > 20 ? `${addr.slice(0, 10)}…${addr.slice(-6)}` : addr;
}
