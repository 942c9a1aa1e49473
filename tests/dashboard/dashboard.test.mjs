// The transparency dashboard in headless Chromium against a localnet with
// the fixture's data (make test-dashboard). Every figure checked here is
// compared with the node's REST answer, formatted independently of the
// dashboard's own code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { Localnet, ROOT, freePort, getJSON, sleep } from './lib/chain.mjs';
import { Fixture } from './lib/fixture.mjs';

const OUT = path.join(ROOT, 'tests/dashboard/output');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DASHBOARD_BIN = path.join(ROOT, 'build/infrafi-dashboard');
const log = (m) => console.log(`# ${m}`);

let ln;
let fixture;
let dash; // { url, proc }
let browser; // a persistent context with a fresh profile
let profile;

// usd formats micro units the way the page must show them: whole units with
// thousands separators and two truncated decimals.
function usd(micro) {
  let v = BigInt(micro);
  const neg = v < 0n;
  if (neg) v = -v;
  const whole = (v / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (v % 1_000_000n).toString().padStart(6, '0').slice(0, 2);
  return `${neg ? '-' : ''}${whole}.${cents}`;
}

// dec6 formats an 18-decimal string with 6 truncated decimals.
function dec6(s) {
  const [i, f = ''] = s.split('.');
  return `${BigInt(i).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(f + '000000').slice(0, 6)}`;
}

function pct(s) {
  const [i, f = ''] = s.split('.');
  const scaled = BigInt(i) * 10n ** 18n + BigInt((f + '0'.repeat(18)).slice(0, 18));
  const bp = (scaled * 10000n) / 10n ** 18n; // hundredths of a percent
  return `${(bp / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(bp % 100n).toString().padStart(2, '0')}%`;
}

async function startDashboard(rest, rpc) {
  const port = await freePort();
  const proc = spawn(DASHBOARD_BIN, ['-listen', `127.0.0.1:${port}`, '-rest', rest, '-rpc', rpc, '-timeout', '3s'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(url + '/', { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error('the dashboard did not start');
    await sleep(200);
  }
  return { url, proc };
}

function stopProc(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', resolve);
    proc.kill('SIGTERM');
  });
}

before(async () => {
  await mkdir(OUT, { recursive: true });
  await promisify(execFile)('go', ['build', '-o', DASHBOARD_BIN, './cmd/infrafi-dashboard'], { cwd: ROOT });
  ln = await Localnet.open(log);
  fixture = new Fixture(ln, log);
  await fixture.seed();
  dash = await startDashboard(ln.rest, ln.rpc);
  profile = await mkdtemp(path.join(os.tmpdir(), 'infrafi-dashboard-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  if (dash) await stopProc(dash.proc);
  if (ln) await ln.close();
});

// open loads a page and waits until it has rendered chain data; console
// errors and uncaught exceptions are collected.
async function open(hash, { base = dash.url, viewport } = {}) {
  const page = await browser.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/#${hash}`);
  await rendered(page);
  return { page, errors };
}

// rendered waits for the next render after `after` (a block height).
async function rendered(page, after = 0) {
  await page.waitForFunction((h) => Number(document.getElementById('main').dataset.height || 0) > h || document.querySelector('[data-testid=not-found]'), after, { timeout: 20_000 });
}

const text = (page, testid) => page.locator(`[data-testid="${testid}"]`).first().innerText();

// settle retries a comparison across blocks: the page and the test read the
// node at slightly different heights, and interest accrues every block.
async function settle(page, check) {
  let last;
  for (let i = 0; i < 8; i++) {
    try {
      await check();
      return;
    } catch (e) {
      last = e;
      await rendered(page, Number(await page.locator('#main').getAttribute('data-height')));
    }
  }
  throw last;
}

// The REST gateway takes enum filters as numbers.
const STATUS_NUMBER = Object.fromEntries(
  ['PENDING', 'ACTIVE', 'DELINQUENT', 'MARGIN_CALL', 'DEFAULTED', 'FORECLOSING', 'REPAID', 'CANCELLED', 'EXPIRED', 'LIQUIDATED', 'WRITTEN_OFF'].map((s, i) => [s, i + 1]),
);

const PAGES = async () => {
  const loans = (await ln.q('/infrafi/lending/v1/loans?pagination.limit=200')).loans;
  const open = (await fixture.openAuctions())[0];
  const titles = (await ln.q('/infrafi/caliber/v1/titles?pagination.limit=200')).titles;
  return [
    ['overview', '/'],
    ['loans', '/loans'],
    ['loan', `/loan/${open ? open.id : loans[0].id}`],
    ['collateral', '/collateral'],
    ['title', `/title/${titles[titles.length - 1].id}`],
    ['auctions', '/auctions'],
    ['auction', `/auction/${open ? open.id : loans[0].id}`],
    ['oracle', '/oracle'],
    ['redemptions', '/redemptions'],
    ['insurance', '/insurance'],
  ];
};

test("an open auction's price falls from block to block", async () => {
  // First after seeding, while the fixture's auction is in its first round.
  const a = (await fixture.fallingAuctions())[0];
  assert.ok(a, 'the fixture left an auction open in its first round');
  const { page, errors } = await open('/auctions');
  const read = async () => BigInt((await text(page, `auction-price-${a.id}`)).replace(/[,.]/g, '')) * 10_000n;
  const first = await read();
  const h = Number(await page.locator('#main').getAttribute('data-height'));
  await rendered(page, h + 2);
  const second = await read();
  const rest = await ln.q(`/infrafi/lending/v1/auctions/${a.id}`);
  const floor = BigInt(await text(page, `auction-floor-${a.id}`).then((s) => s.replace(/[,.]/g, ''))) * 10_000n;
  assert.ok(second < first, `price ${first} then ${second}: it must fall in the first round`);
  assert.ok((BigInt(rest.current_price) / 10_000n) * 10_000n <= second, `the node's price now (${rest.current_price}) is at most the last one shown`);
  assert.ok(second >= floor - 10_000n, 'never below the floor');
  assert.ok(first <= BigInt(a.top_price), 'never above the top price');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every page loads without console errors, at 1280 px and at phone width (screenshots in tests/dashboard/output)', async () => {
  for (const [name, hash] of await PAGES()) {
    const { page, errors } = await open(hash);
    assert.equal(await page.locator('[data-testid=not-found], [data-testid=error]').count(), 0, `${name}: not-found or error section`);
    assert.equal(await page.locator('#banner').isHidden(), true, `${name}: banner shown`);
    assert.ok((await page.locator('main h1').first().innerText()).length > 0, `${name}: no heading`);
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await rendered(page, Number(await page.locator('#main').getAttribute('data-height')));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name}: ${overflow}px wider than a phone screen`);
    await page.screenshot({ path: path.join(OUT, `${name}-phone.png`), fullPage: true });
    assert.deepEqual(errors, [], `${name}: console errors`);
    await page.close();
  }
});

test('overview shows the reserves and vault figures of the REST API', async () => {
  const { page, errors } = await open('/');
  await settle(page, async () => {
    const por = await ln.q('/infrafi/stable/v1/proof_of_reserves');
    const v = (await ln.q('/infrafi/yield/v1/vault')).vault;
    assert.equal(await text(page, 'usdai-supply'), usd(por.usdai_supply));
    assert.equal(await text(page, 'reserves-held'), usd(por.reserves_held));
    assert.equal(await text(page, 'total-reserves'), usd(por.total_reserves));
    assert.equal(await text(page, 'backing-ratio'), pct(por.ratio));
    for (const r of por.reserves) assert.equal(await text(page, `reserve-held-${r.denom}`), usd(r.held), r.denom);
    assert.equal(await text(page, 'nav'), usd(v.nav));
    assert.equal(await text(page, 'conservative-nav'), usd(v.conservative_nav));
    assert.equal(await text(page, 'share-price'), dec6(v.share_price));
    assert.equal(await text(page, 'redemption-price'), dec6(v.redemption_price));
    assert.equal(await text(page, 'split-idle'), usd(v.idle));
  });
  assert.ok(BigInt((await ln.q('/infrafi/stable/v1/proof_of_reserves')).usdai_supply) > 0n, 'the fixture minted USDai');
  assert.equal(await page.locator('#chart-price canvas, #chart-price + p, .charts p.muted').count() > 0, true, 'share price chart or its placeholder');
  assert.deepEqual(errors, []);
  await page.close();
});

test("loans page shows each loan's outstanding principal", async () => {
  const { page, errors } = await open('/loans');
  await settle(page, async () => {
    const loans = (await ln.q('/infrafi/lending/v1/loans?pagination.limit=200')).loans;
    assert.ok(loans.length >= 4, `fixture loans: ${loans.length}`);
    assert.equal(await page.locator('tr[data-loan]').count(), loans.length);
    for (const l of loans) {
      const funded = !['LOAN_STATUS_PENDING', 'LOAN_STATUS_CANCELLED', 'LOAN_STATUS_EXPIRED'].includes(l.status);
      const want = funded ? usd(BigInt(l.senior.balance) + BigInt(l.junior_principal)) : '—';
      assert.equal(await text(page, `loan-outstanding-${l.id}`), want, `loan #${l.id} (${l.status})`);
      assert.equal(await page.locator(`tr[data-loan="${l.id}"]`).getAttribute('data-status'), l.status.replace('LOAN_STATUS_', ''));
    }
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a loan page shows its revenue lockbox as the node reports it", async () => {
  // Every funded loan has a lockbox; the fixture's ACTIVE loan may have
  // missed a due date by now, so any funded one will do.
  const all = (await ln.q('/infrafi/lending/v1/loans?pagination.limit=200')).loans;
  const active = all.find((l) => !['LOAN_STATUS_PENDING', 'LOAN_STATUS_CANCELLED', 'LOAN_STATUS_EXPIRED'].includes(l.status));
  assert.ok(active, 'the fixture funded a loan');
  // Rent paid by a plain bank send lands in the lockbox (the next due date
  // may sweep it, so the page is compared with whatever the node holds).
  const first = await ln.q(`/infrafi/lending/v1/loans/${active.id}`);
  await ln.tx('bank', 'send', 'borrower', first.lockbox, '1234567uusdai', '--from', 'borrower');
  const { page, errors } = await open(`/loan/${active.id}`);
  await settle(page, async () => {
    const res = await ln.q(`/infrafi/lending/v1/loans/${active.id}`);
    assert.equal(await text(page, 'loan-lockbox'), res.lockbox);
    const shown = (await text(page, 'loan-lockbox-balance')).replace(/\s+/g, ' ');
    const held = res.lockbox_balance || [];
    if (held.length === 0) assert.equal(shown, 'empty');
    for (const c of held) assert.ok(shown.includes(c.denom === 'uusdai' ? `${usd(c.amount)} USDai` : `${c.amount} ${c.denom}`), `page shows ${shown}, node ${JSON.stringify(held)}`);
    assert.equal(await text(page, 'loan-withdrawable'), usd(res.withdrawable));
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the loan status filter shows exactly the loans in that status', async () => {
  const { page, errors } = await open('/loans');
  // Statuses move with block time (an unpaid ACTIVE loan turns DELINQUENT):
  // filter by those the book holds now, and one it does not.
  const book = await ln.q('/infrafi/lending/v1/book');
  const present = book.status_counts.filter((c) => Number(c.count) > 0).map((c) => c.status.replace('LOAN_STATUS_', ''));
  assert.ok(present.length >= 3, `loans in several statuses: ${present}`);
  const absent = Object.keys(STATUS_NUMBER).find((s) => !present.includes(s));
  for (const status of [...present, absent].filter(Boolean)) {
    const before = Number(await page.locator('#main').getAttribute('data-height'));
    await page.selectOption('[data-testid=status-filter]', status);
    await page.waitForFunction((s) => location.hash === `#/loans?status=${s}`, status);
    await rendered(page, before);
    await settle(page, async () => {
      const want = (await ln.q(`/infrafi/lending/v1/loans?status=${STATUS_NUMBER[status]}`)).loans.map((l) => l.id).sort();
      const rows = page.locator('tr[data-loan]');
      const got = (await rows.evaluateAll((trs) => trs.map((tr) => [tr.dataset.loan, tr.dataset.status]))).sort();
      assert.deepEqual(got.map((r) => r[0]), want, status);
      if (want.length === 0) assert.equal(await page.locator('[data-testid=loans-empty]').count(), 1, `${status}: an empty-table message`);
      for (const [, s] of got) assert.equal(s, status);
    });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("collateral page shows each title's value, and the serial lookup finds a title", async () => {
  const { page, errors } = await open('/collateral');
  const titles = (await ln.q('/infrafi/caliber/v1/titles?pagination.limit=200')).titles;
  await settle(page, async () => {
    for (const t of titles) {
      const v = await ln.q(`/infrafi/caliber/v1/titles/${t.id}/valuation`).catch(() => null);
      assert.equal(await text(page, `title-value-${t.id}`), v ? usd(v.valuation.value) : '—', `title #${t.id}`);
    }
  });
  const t = titles[titles.length - 1];
  const serial = t.serials[t.serials.length - 1];
  await page.fill('[data-testid=serial-input]', serial);
  await page.click('#serial-form button');
  await page.waitForSelector('[data-testid=serial-title]');
  assert.equal(await text(page, 'serial-title'), `title #${t.id}`);
  await page.click('[data-testid=serial-title]');
  await page.waitForFunction((id) => location.hash === `#/title/${id}`, t.id);
  await page.waitForSelector('[data-testid=title-serials]');
  assert.match(await text(page, 'title-serials'), new RegExp(serial));
  await page.goto(`${dash.url}/#/collateral?serial=NO-SUCH-SERIAL`);
  await page.waitForSelector('[data-testid=serial-result]');
  assert.match(await text(page, 'serial-result'), /No live title holds serial NO-SUCH-SERIAL/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('oracle page shows each feed\'s source and the price the node reports', async () => {
  const { page, errors } = await open('/oracle');
  const feeds = (await ln.q('/infrafi/oracle/v1/feeds')).feeds;
  assert.ok(feeds.some((f) => f.source === 'FEED_SOURCE_VOTE_EXTENSIONS'), 'the localnet has validator-priced feeds');
  await settle(page, async () => {
    for (const f of feeds) {
      const want = f.source === 'FEED_SOURCE_VOTE_EXTENSIONS' ? 'validators' : 'feeders';
      assert.equal(await text(page, `feed-source-${f.id}`), want, f.id);
    }
    const h100 = feeds.find((f) => f.id.startsWith('gpu/nvidia-h100'));
    const p = (await ln.q('/infrafi/oracle/v1/prices')).prices.find((x) => x.feed_id === h100.id);
    assert.equal((await text(page, `feed-value-${h100.id}`)).replace(/\s+/g, ' '), `${usd(p.value.split('.')[0])} USDai/gpu`);
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('redemption queue shows a queued request in service order', async () => {
  const id = await fixture.queueRedemption();
  const { page, errors } = await open('/redemptions');
  await settle(page, async () => {
    const queue = (await ln.q('/infrafi/yield/v1/queue')).requests.map((r) => r.id);
    const shown = await page.locator('tr[data-request]').evaluateAll((trs) => trs.map((tr) => tr.dataset.request));
    assert.deepEqual(shown, queue);
    if (queue.includes(id)) return;
    // Served at the epoch close already: the vault paid it out.
    const req = await ln.q(`/infrafi/yield/v1/request/${id}`).catch((e) => e);
    assert.ok(req instanceof Error, `request ${id} neither queued nor served`);
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('unknown ids show a not-found page; malformed parameters are ignored with a message', async () => {
  for (const hash of ['/loan/999999', '/title/999999', '/auction/999999', '/loan/abc', '/loan/%E0%A4%A', '/loan/99999999999999999999', '/no-such-page']) {
    const { page, errors } = await open(hash);
    await page.waitForSelector('[data-testid=not-found]');
    assert.match(await page.locator('[data-testid=not-found]').innerText(), /not found/i, hash);
    // The node's own 404 for the id is the only error the browser may log.
    assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), [], hash);
    await page.close();
  }
  const { page, errors } = await open('/loans?status=BOGUS&foo=1');
  assert.match(await page.locator('[data-testid=notice]').innerText(), /Ignored the unknown loan status "BOGUS"/);
  const all = (await ln.q('/infrafi/lending/v1/loans?pagination.limit=200')).loans.length;
  assert.equal(await page.locator('tr[data-loan]').count(), all, 'the ignored filter shows every loan');
  assert.deepEqual(errors, []);
  await page.close();
});

// A TCP relay between the dashboard and the node that the test can cut: the
// node itself (possibly shared) keeps running.
class Relay {
  constructor(target) {
    this.target = new URL(target);
    this.sockets = new Set();
  }
  async listen(port) {
    this.server = net.createServer((c) => {
      const u = net.connect(Number(this.target.port), this.target.hostname);
      this.sockets.add(c).add(u);
      c.pipe(u).pipe(c);
      const drop = () => {
        c.destroy();
        u.destroy();
        this.sockets.delete(c);
        this.sockets.delete(u);
      };
      c.on('error', drop).on('close', drop);
      u.on('error', drop).on('close', drop);
    });
    await new Promise((r) => this.server.listen(port, '127.0.0.1', r));
    this.port = this.server.address().port;
    return `http://127.0.0.1:${this.port}`;
  }
  async cut() {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

test('a node that stops answering shows the "node unreachable" banner, which clears when it is back', async () => {
  const rest = new Relay(ln.rest);
  const rpc = new Relay(ln.rpc);
  const second = await startDashboard(await rest.listen(0), await rpc.listen(0));
  try {
    const { page, errors } = await open('/', { base: second.url });
    assert.equal(await page.locator('#banner').isHidden(), true);
    await rest.cut();
    await rpc.cut();
    await page.waitForSelector('#banner:not([hidden])', { timeout: 15_000 });
    assert.match(await page.locator('#banner').innerText(), /Node unreachable/);
    await page.screenshot({ path: path.join(OUT, 'node-unreachable.png') });
    // The figures already shown stay on the page under the banner.
    assert.ok((await text(page, 'nav')).length > 0);
    await rest.listen(rest.port);
    await rpc.listen(rpc.port);
    await page.waitForSelector('#banner[hidden]', { state: 'attached', timeout: 15_000 });
    const h = Number(await page.locator('#main').getAttribute('data-height'));
    await rendered(page, h);
    // While cut, the only errors are the failed requests to the relay.
    assert.deepEqual(errors.filter((e) => !/status of 50[24]/.test(e)), []);
    await page.close();
  } finally {
    await stopProc(second.proc);
    for (const r of [rest, rpc]) if (r.server.listening) await r.cut();
  }
});

test('the server refuses writes and paths outside the allow-list', async () => {
  const post = await fetch(`${dash.url}/cosmos/tx/v1beta1/txs`, { method: 'POST', body: '{}' });
  assert.equal(post.status, 405);
  const other = await fetch(`${dash.url}/rpc/broadcast_tx_sync?tx=0x00`);
  assert.equal(other.status, 404);
  const ok = await getJSON(`${dash.url}/infrafi/stable/v1/proof_of_reserves`);
  assert.equal(ok.usdai_supply, (await ln.q('/infrafi/stable/v1/proof_of_reserves')).usdai_supply);
});
