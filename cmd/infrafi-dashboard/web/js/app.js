// The dashboard's shell: a hash router, a poll of the node's latest block
// that re-renders the current page on every new block, and the "node
// unreachable" banner while the node (or this server) does not answer.

import * as api from './api.js';
import { html } from './format.js';
import { routes } from './pages/index.js';

const POLL_MS = 1000;

const main = document.getElementById('main');
const banner = document.getElementById('banner');
const notice = document.getElementById('notice');
const chainEl = document.getElementById('chain');

const state = {
  route: null, // { page, params, query }
  block: null, // { height, time, chainId }
  down: false,
  rendering: false,
  again: false,
  renderedHeight: 0,
};

function parseHash() {
  let h = location.hash.replace(/^#/, '') || '/';
  try {
    h = decodeURIComponent(h);
  } catch {
    // A malformed escape is matched as typed: no route, a not-found page.
  }
  const i = h.indexOf('?');
  const path = i < 0 ? h : h.slice(0, i);
  const query = new URLSearchParams(i < 0 ? '' : location.hash.slice(location.hash.indexOf('?') + 1));
  for (const r of routes) {
    const m = path.match(r.pattern);
    if (m) return { page: r.page, params: m.slice(1), query };
  }
  return { page: null, params: [path], query };
}

function setNav(page) {
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', !!page && a.dataset.page === page.nav);
  }
}

function showNotice(messages) {
  notice.hidden = messages.length === 0;
  notice.textContent = messages.join(' ');
}

function showBanner(err) {
  state.down = true;
  banner.hidden = false;
  const seen = state.renderedHeight ? ` The figures below are from block ${state.renderedHeight}.` : '';
  banner.textContent = `Node unreachable: the dashboard cannot read the chain (${err.message}). Retrying every ${POLL_MS / 1000} s.${seen}`;
  document.body.classList.add('node-down');
}

function hideBanner() {
  state.down = false;
  banner.hidden = true;
  banner.textContent = '';
  document.body.classList.remove('node-down');
}

function onRoute() {
  state.route = parseHash();
  const { page, query } = state.route;
  setNav(page);
  main.innerHTML = '';
  if (!page) {
    document.title = 'Not found · infrafi';
    main.innerHTML = String(html`<section class="not-found" data-testid="not-found"><h1>Page not found</h1><p>There is no page at <code>${location.hash}</code>. <a href="#/">Back to the overview</a>.</p></section>`);
    showNotice([]);
    return;
  }
  // Pages validate their query parameters once per visit; unusable ones are
  // ignored with a message instead of breaking the page.
  const ignored = [];
  state.route.opts = page.parse ? page.parse(query, ignored) : {};
  showNotice(ignored);
  document.title = `${page.title} · infrafi`;
  main.innerHTML = `<div class="controls"></div><div class="content"><p class="muted">Loading…</p></div>`;
  if (page.controls) {
    main.querySelector('.controls').innerHTML = String(page.controls(state.route.opts));
    if (page.bind) page.bind(main.querySelector('.controls'), state.route.opts);
  }
  state.renderedHeight = 0;
  refresh();
}

async function refresh() {
  if (state.rendering) {
    state.again = true;
    return;
  }
  const route = state.route;
  if (!route || !route.page) return;
  state.rendering = true;
  try {
    api.newRefresh();
    const ctx = {
      params: route.params,
      opts: route.opts,
      now: state.block ? state.block.time : new Date(),
      height: state.block ? state.block.height : 0,
    };
    const out = await route.page.load(ctx);
    if (route !== state.route) return;
    const content = main.querySelector('.content');
    content.innerHTML = String(out);
    if (route.page.after) route.page.after(content, ctx);
    state.renderedHeight = ctx.height;
    if (state.down) hideBanner();
    main.dataset.height = String(ctx.height);
  } catch (e) {
    if (route !== state.route) return;
    const content = main.querySelector('.content');
    if (e instanceof api.NodeDown) {
      showBanner(e);
    } else if (e instanceof api.NotFound) {
      content.innerHTML = String(html`<section class="not-found" data-testid="not-found"><h1>Not found</h1><p>${route.page.notFound ? route.page.notFound(route.params) : 'This record does not exist on the chain.'}</p><p class="muted">${e.message}</p><p><a href="#/">Back to the overview</a></p></section>`);
    } else {
      content.innerHTML = String(html`<section class="error" data-testid="error"><h1>Could not show this page</h1><p>${e.message}</p></section>`);
    }
  } finally {
    state.rendering = false;
    if (state.again) {
      state.again = false;
      refresh();
    }
  }
}

async function poll() {
  try {
    const block = await api.status();
    const fresh = !state.block || block.height !== state.block.height;
    state.block = block;
    chainEl.textContent = `${block.chainId || ''} · block ${block.height.toLocaleString('en-US')}`;
    chainEl.title = `latest block time ${block.time.toISOString()}`;
    // While down, every poll retries the page; a success hides the banner.
    if (fresh || state.down) refresh();
  } catch (e) {
    showBanner(e instanceof api.NodeDown ? e : new Error(e.message));
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

window.addEventListener('hashchange', onRoute);
onRoute();
poll();
