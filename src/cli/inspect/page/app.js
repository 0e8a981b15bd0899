/**
 * The inspector page: the connection bar (target, era and revision), the server's information and
 * capabilities, the panels, the server's requests, the logs and the message log, all fed by the
 * inspector's event stream.
 */
import { events, get, post, request } from './api.js';
import { removeAsk, showAsk, showRoots } from './asks.js';
import { fill, h, json } from './dom.js';
import { MessageLog } from './message-log.js';
import { onProgress, readInto, showPrompts, showResources, showTools } from './panels.js';
import { renderError } from './render.js';

const $ = (id) => document.getElementById(id);
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

const ctx = {
  state: { connected: false, roots: [] },
  logs: [],
  tab: 'tools',
  read: (uri) => {
    const out = h('div', { class: 'output' });
    $('panel').append(h('div', { class: 'linked' }, h('h3', {}, `read ${uri}`), out));
    void readInto(out, uri);
  },
};

const log = new MessageLog($('message-log'), $('log-filter'), $('log-direction'), $('log-count'));
$('log-clear').addEventListener('click', () => log.clear());

function setStatus(text, cls = '') {
  const el = $('status');
  el.textContent = text;
  el.className = `status ${cls}`;
}

function specFromBar() {
  const value = $('target').value.trim();
  const era = $('era').value;
  const spec = $('target-kind').value === 'stdio' ? { stdio: value } : { url: value };
  if (era === 'modern' || era === 'auto') spec.era = era;
  else Object.assign(spec, { era: 'legacy', protocolVersion: era });
  return spec;
}

function barFromSpec(spec) {
  if (!spec) return;
  $('target-kind').value = spec.stdio ? 'stdio' : 'url';
  $('target').value = spec.stdio ?? spec.url ?? '';
  $('era').value = spec.protocolVersion ?? spec.era ?? 'auto';
}

$('target-kind').addEventListener('change', () => {
  $('target').placeholder =
    $('target-kind').value === 'stdio' ? 'node server.js' : 'http://127.0.0.1:3000/mcp';
});

$('connect-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  setStatus('connecting…', 'busy');
  try {
    await post('connect', specFromBar());
  } catch (error) {
    setStatus('not connected', 'bad');
    fill($('panel'), renderError(error));
  }
});

$('disconnect').addEventListener('click', () => post('disconnect').catch(() => {}));

function capabilityList(caps) {
  return Object.entries(caps ?? {}).map(([name, value]) => {
    const subs = value && typeof value === 'object' ? Object.keys(value).filter((k) => value[k]) : [];
    return h('span', { class: 'cap' }, name, subs.length ? h('small', {}, ` (${subs.join(', ')})`) : null);
  });
}

async function showServer() {
  const s = ctx.state;
  if (!s.connected) {
    fill($('server'));
    return;
  }
  const level = h(
    'select',
    {
      id: 'log-level',
      'aria-label': 'Log level',
      onchange: (e) => request('logging/setLevel', { level: e.target.value }).catch(() => {}),
    },
    LEVELS.map((l) => h('option', { value: l }, l)),
  );
  level.value = 'info';
  const auth = await get('auth').catch(() => ({ oauth: false }));
  const authLine = auth.oauth
    ? auth.loggedIn
      ? h(
          'span',
          { class: 'auth' },
          `OAuth: logged in (${auth.tokenType} token …${auth.tokenEnd}${auth.scope ? `, scope ${auth.scope}` : ''}) `,
          h(
            'button',
            { type: 'button', class: 'small', onclick: () => post('logout').then(showServer) },
            'Log out',
          ),
        )
      : h('span', { class: 'auth dim' }, 'OAuth: not logged in (a login starts when the server asks)')
    : null;
  fill(
    $('server'),
    h(
      'div',
      { class: 'server-line' },
      h('strong', { id: 'server-name' }, `${s.serverInfo?.name ?? '?'} ${s.serverInfo?.version ?? ''}`),
      h('span', { id: 'revision', class: `badge era-${s.era}` }, `${s.revision} (${s.era} era)`),
      h('span', { class: 'dim' }, s.transport),
      s.capabilities?.logging ? h('label', { class: 'dim' }, ' log level ', level) : null,
      authLine,
    ),
    h('div', { class: 'caps' }, 'capabilities: ', capabilityList(s.capabilities)),
    s.instructions ? h('details', {}, h('summary', {}, 'instructions'), h('pre', {}, s.instructions)) : null,
  );
}

const TABS = {
  tools: ['Tools', (panel) => showTools(panel, ctx)],
  resources: ['Resources', (panel) => showResources(panel, ctx)],
  prompts: ['Prompts', (panel) => showPrompts(panel, ctx)],
  roots: ['Roots', (panel) => showRoots(panel, ctx.state.roots ?? [])],
  logs: ['Logs', (panel) => showLogs(panel)],
};

function showTabs() {
  fill(
    $('tabs'),
    Object.entries(TABS).map(([key, [title]]) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          'data-tab': key,
          'aria-selected': String(key === ctx.tab),
          onclick: () => openTab(key),
        },
        title,
      ),
    ),
  );
}

/** Counts the tabs opened, so that only the latest one's list fills the panel. */
let opened = 0;

/**
 * Shows a tab. Its list is built aside and put in the panel only if no tab was opened meanwhile: a
 * slow answer to an earlier open (the one on connecting, say) must not replace a panel already in use.
 */
async function openTab(key) {
  ctx.tab = key;
  const mine = ++opened;
  showTabs();
  const panel = $('panel');
  if (!ctx.state.connected && key !== 'roots' && key !== 'logs') {
    fill(panel, h('p', { class: 'dim' }, 'Connect to a server: its URL, or a stdio command line, above.'));
    return;
  }
  fill(panel, h('p', { class: 'dim' }, 'loading…'));
  const aside = document.createDocumentFragment();
  try {
    await TABS[key][1](aside);
  } catch (error) {
    fill(aside, renderError(error));
  }
  if (mine === opened) panel.replaceChildren(aside);
}

function logLine(entry) {
  return h(
    'div',
    { class: `log-line ${entry.level ?? entry.kind}` },
    h('span', { class: 'dim' }, `[${entry.level ?? entry.kind}] `),
    entry.logger ? `${entry.logger}: ` : '',
    typeof entry.data === 'string' ? entry.data : JSON.stringify(entry.data),
  );
}

function showLogs(panel) {
  fill(panel, h('div', { id: 'logs', class: 'logs' }, ctx.logs.map(logLine)));
}

function addLog(entry) {
  ctx.logs.push(entry);
  if (ctx.logs.length > 1000) ctx.logs.shift();
  const pane = document.getElementById('logs');
  if (pane) pane.append(logLine(entry));
  const tab = document.querySelector('[data-tab="logs"]');
  if (tab && ctx.tab !== 'logs') tab.classList.add('unread');
}

function connected(state) {
  // The event stream replays a connection that start() may have shown already.
  if (ctx.state.connected && ctx.state.epoch === state.epoch) return;
  ctx.state = state;
  $('disconnect').disabled = false;
  setStatus(`connected · ${state.revision} (${state.era})`, 'ok');
  barFromSpec(state.last);
  void showServer();
  void openTab(ctx.tab === 'roots' || ctx.tab === 'logs' ? 'tools' : ctx.tab);
}

events({
  message: (m) => log.add(m),
  connecting: () => setStatus('connecting…', 'busy'),
  connected,
  'connect-failed': (e) => {
    opened++;
    setStatus('not connected', 'bad');
    fill($('panel'), renderError(e));
  },
  closed: (e) => {
    ctx.state = { ...ctx.state, connected: false };
    $('disconnect').disabled = true;
    setStatus(e.reason ? `disconnected: ${e.reason}` : 'disconnected', e.reason ? 'bad' : '');
    void showServer();
  },
  log: (p) => addLog(p),
  stderr: (e) => addLog({ kind: 'stderr', data: e.text.trimEnd() }),
  note: (e) => {
    const notes = $('notes');
    notes.hidden = false;
    notes.append(h('pre', {}, e.text));
  },
  ask: (a) => showAsk($('asks'), a),
  'ask-done': removeAsk,
  progress: onProgress,
  'elicitation-complete': (e) => addLog({ kind: 'elicitation', data: `elicitation ${e.id} complete` }),
});

async function start() {
  showTabs();
  const state = await get('state');
  for (const ask of state.pending ?? []) showAsk($('asks'), ask);
  barFromSpec(state.last);
  // The event stream may have shown the connection already (it replays recent events): connected()
  // then sees the same epoch and does nothing.
  if (state.connected) {
    connected(state);
  } else {
    ctx.state = state;
    setStatus(state.connecting ? 'connecting…' : 'not connected', state.connecting ? 'busy' : '');
    void openTab('tools');
  }
}

start().catch((error) => fill($('panel'), renderError(error), json(String(error))));
