/**
 * The server's requests answered in the page: elicitation (a form from the requested schema, or a
 * URL to open) and sampling (the user writes the model's reply); and the roots editor.
 */
import { post } from './api.js';
import { fill, h, json } from './dom.js';
import { schemaForm } from './form.js';
import { renderContent } from './render.js';

const cards = new Map();

function safeUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function card(ask, title, ...body) {
  const el = h(
    'section',
    { class: 'ask', 'data-ask': ask.id, role: 'dialog', 'aria-label': title },
    h('h3', {}, title),
    body,
  );
  cards.set(ask.id, el);
  return el;
}

async function send(ask, answer, problem) {
  try {
    await post('answer', { id: ask.id, ...answer });
    removeAsk({ id: ask.id });
  } catch (error) {
    problem.textContent = error.message;
  }
}

function elicitation(ask) {
  const p = ask.params;
  const problem = h('div', { class: 'error-text' });
  if (p.mode === 'url') {
    const url = safeUrl(p.url);
    return card(
      ask,
      'The server asks you to open a page (URL elicitation)',
      h('p', {}, p.message),
      h('p', {}, h('code', { class: 'url' }, p.url)),
      url
        ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, 'Open in a new tab')
        : h('p', { class: 'error-text' }, 'Not an http(s) URL: not opened.'),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          {
            type: 'button',
            class: 'accept',
            onclick: () => send(ask, { result: { action: 'accept' } }, problem),
          },
          'Done (accept)',
        ),
        ...declineAndCancel(ask, problem),
      ),
      problem,
    );
  }
  const form = schemaForm(p.requestedSchema);
  const accept = (e) => {
    e.preventDefault();
    let content;
    try {
      content = form.value();
    } catch (error) {
      problem.textContent = error.message;
      return;
    }
    void send(ask, { result: { action: 'accept', content } }, problem);
  };
  return card(
    ask,
    'The server asks for information (elicitation)',
    h('p', {}, p.message),
    h(
      'form',
      { onsubmit: accept },
      form.el,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', class: 'accept' }, 'Accept'),
        ...declineAndCancel(ask, problem),
      ),
    ),
    problem,
  );
}

/** The Decline and Cancel buttons of an elicitation. */
function declineAndCancel(ask, problem) {
  return [
    h(
      'button',
      {
        type: 'button',
        class: 'decline',
        onclick: () => send(ask, { result: { action: 'decline' } }, problem),
      },
      'Decline',
    ),
    h(
      'button',
      { type: 'button', onclick: () => send(ask, { result: { action: 'cancel' } }, problem) },
      'Cancel',
    ),
  ];
}

function sampling(ask) {
  const p = ask.params;
  const problem = h('div', { class: 'error-text' });
  const reply = h('textarea', { name: 'reply', rows: 3, placeholder: "the model's reply" });
  const model = h('input', { name: 'model', value: 'mcpkit-inspector' });
  const accept = (e) => {
    e.preventDefault();
    const result = {
      role: 'assistant',
      content: { type: 'text', text: reply.value },
      model: model.value,
      stopReason: 'endTurn',
    };
    void send(ask, { result }, problem);
  };
  return card(
    ask,
    'The server asks for a model reply (sampling)',
    p.systemPrompt ? h('p', { class: 'dim' }, `system: ${p.systemPrompt}`) : null,
    (p.messages ?? []).map((m) =>
      h('div', { class: `message ${m.role}` }, h('strong', {}, `${m.role}: `), renderContent(m.content)),
    ),
    h('p', { class: 'dim' }, `at most ${p.maxTokens} tokens`),
    h('details', {}, h('summary', {}, 'raw request'), json(p)),
    h(
      'form',
      { onsubmit: accept },
      h('label', { class: 'field' }, h('span', { class: 'label' }, 'reply'), reply),
      h('label', { class: 'field' }, h('span', { class: 'label' }, 'model'), model),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', class: 'accept' }, 'Send reply'),
        h(
          'button',
          { type: 'button', class: 'decline', onclick: () => send(ask, { decline: true }, problem) },
          'Decline',
        ),
      ),
    ),
    problem,
  );
}

/** Shows a request from the server. */
export function showAsk(area, ask) {
  if (cards.has(ask.id)) return;
  area.append(ask.kind === 'sampling' ? sampling(ask) : elicitation(ask));
}

/** Removes a request that was answered or cancelled. */
export function removeAsk({ id }) {
  cards.get(id)?.remove();
  cards.delete(id);
}

/** The roots editor: one URI (and name) a line. */
export function showRoots(panel, roots) {
  const area = h('textarea', {
    name: 'roots',
    rows: 6,
    value: roots.map((r) => (r.name ? `${r.uri} ${r.name}` : r.uri)).join('\n'),
  });
  const said = h('div', { class: 'dim' });
  const save = async (e) => {
    e.preventDefault();
    const list = area.value
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [uri, ...name] = line.split(/\s+/);
        return name.length ? { uri, name: name.join(' ') } : { uri };
      });
    try {
      const { roots: saved } = await post('roots', { roots: list });
      said.textContent = `Saved ${saved.length} root(s); the server was told the list changed.`;
    } catch (error) {
      said.textContent = error.message;
    }
  };
  fill(
    panel,
    h(
      'form',
      { class: 'roots', onsubmit: save },
      h('h2', {}, 'Roots'),
      h(
        'p',
        { class: 'dim' },
        'The directories offered to the server: one URI a line (file:///path), then an optional name.',
      ),
      area,
      h('button', { type: 'submit', class: 'run' }, 'Save roots'),
      said,
    ),
  );
}
