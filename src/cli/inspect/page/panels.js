/**
 * The panels of what a server offers: tools (a form from each input schema, the result by content
 * type, progress and cancel), resources and templates (read, subscribe, variables with completion),
 * prompts (arguments with completion).
 */
import { newCallId, post, request } from './api.js';
import { debounce, fill, h, json } from './dom.js';
import { schemaForm } from './form.js';
import { renderError, renderPromptResult, renderReadResult, renderToolResult } from './render.js';

const progressListeners = new Map();

/** Routes a progress event to the call it belongs to. */
export function onProgress({ callId, progress }) {
  progressListeners.get(callId)?.(progress);
}

/** Runs a request that may take long: a progress bar and a Cancel button until it ends. */
async function runLong(out, op, params, show) {
  const callId = newCallId();
  const bar = h('progress', { class: 'progress', max: 1 });
  const text = h('span', { class: 'progress-text dim' }, 'waiting for the server…');
  const cancel = h(
    'button',
    { type: 'button', class: 'cancel', onclick: () => post('cancel', { callId }).catch(() => {}) },
    'Cancel',
  );
  fill(out, h('div', { class: 'running' }, bar, ' ', text, ' ', cancel));
  progressListeners.set(callId, (p) => {
    if (typeof p.total === 'number' && p.total > 0) {
      bar.max = p.total;
      bar.value = p.progress;
    }
    text.textContent = `${p.progress}${p.total !== undefined ? ` / ${p.total}` : ''}${p.message ? ` — ${p.message}` : ''}`;
  });
  try {
    const answer = await request(op, params, callId);
    fill(out, show(answer.result, answer.ms));
  } catch (error) {
    fill(out, renderError(error));
  } finally {
    progressListeners.delete(callId);
  }
}

/** A two-column panel: a list of items, and the selected one's detail. */
function listPanel(panel, items, nameOf, subtitleOf, detail, empty) {
  const view = h(
    'div',
    { class: 'detail' },
    h('p', { class: 'dim' }, items.length ? 'Choose one on the left.' : empty),
  );
  const list = h(
    'ul',
    { class: 'items-list' },
    items.map((item) => {
      const li = h(
        'li',
        {
          tabindex: '0',
          'data-name': nameOf(item),
          onclick: () => {
            for (const other of list.children) other.classList.remove('selected');
            li.classList.add('selected');
            fill(view, detail(item));
          },
        },
        h('strong', {}, nameOf(item)),
        subtitleOf(item) ? h('div', { class: 'dim' }, subtitleOf(item)) : null,
      );
      return li;
    }),
  );
  fill(panel, h('div', { class: 'split' }, list, view));
}

/** The tools panel. */
export async function showTools(panel, ctx) {
  const { result } = await request('tools/list');
  listPanel(
    panel,
    result.tools,
    (t) => t.name,
    (t) => t.title ?? t.description,
    (tool) => {
      const form = schemaForm(tool.inputSchema);
      const out = h('div', { class: 'output' });
      const submit = (e) => {
        e.preventDefault();
        let args;
        try {
          args = form.value();
        } catch (error) {
          fill(out, renderError(error));
          return;
        }
        void runLong(out, 'tools/call', { name: tool.name, arguments: args }, (r, ms) =>
          renderToolResult(r, tool, ctx.read, ms),
        );
      };
      return h(
        'div',
        { class: 'tool' },
        h('h2', {}, tool.title ?? tool.name),
        tool.description ? h('p', {}, tool.description) : null,
        tool.annotations
          ? h('p', { class: 'dim' }, `annotations: ${JSON.stringify(tool.annotations)}`)
          : null,
        h(
          'form',
          { class: 'call-form', onsubmit: submit },
          form.el,
          h('button', { type: 'submit', class: 'run' }, 'Call tool'),
        ),
        h(
          'details',
          {},
          h('summary', {}, 'schemas'),
          json({ inputSchema: tool.inputSchema, outputSchema: tool.outputSchema }),
        ),
        out,
      );
    },
    'This server offers no tools.',
  );
}

/** Inputs for named string arguments, each completed by the server when it can. */
function argumentInputs(names, ref, ctx, required = new Set()) {
  const inputs = new Map();
  const rows = names.map((name) => {
    const list = h('datalist', { id: `complete-${ref.type}-${name}-${Math.random().toString(36).slice(2)}` });
    const input = h('input', { name, list: list.id, autocomplete: 'off' });
    inputs.set(name, input);
    if (ctx.state.capabilities?.completions) {
      const complete = debounce(async () => {
        const context = {};
        for (const [k, i] of inputs) if (k !== name && i.value !== '') context[k] = i.value;
        try {
          const { result } = await request('completion/complete', {
            ref,
            argument: { name, value: input.value },
            context: { arguments: context },
          });
          fill(
            list,
            (result.completion?.values ?? []).map((v) => h('option', { value: v })),
          );
          input.dataset.completions = (result.completion?.values ?? []).join('\n');
        } catch {
          fill(list);
        }
      }, 150);
      input.addEventListener('input', complete);
      input.addEventListener('focus', complete);
    }
    return h(
      'label',
      { class: 'field' },
      h('span', { class: 'label' }, name, required.has(name) ? ' *' : ''),
      input,
      list,
    );
  });
  const values = () => {
    const out = {};
    for (const [k, i] of inputs) if (i.value !== '') out[k] = i.value;
    return out;
  };
  return { rows, values };
}

/** The resources panel: resources, then templates. */
export async function showResources(panel, ctx) {
  const [{ result: r }, { result: t }] = await Promise.all([
    request('resources/list'),
    request('resources/templates/list').catch(() => ({ result: { resourceTemplates: [] } })),
  ]);
  const items = [
    ...r.resources.map((x) => ({ kind: 'resource', ...x })),
    ...t.resourceTemplates.map((x) => ({ kind: 'template', ...x })),
  ];
  listPanel(
    panel,
    items,
    (x) => (x.kind === 'template' ? x.uriTemplate : x.uri),
    (x) =>
      `${x.kind === 'template' ? 'template · ' : ''}${x.name ?? ''}${x.mimeType ? ` · ${x.mimeType}` : ''}`,
    (x) => {
      const out = h('div', { class: 'output' });
      const read = (uri) => runLong(out, 'resources/read', { uri }, (res) => renderReadResult(res));
      if (x.kind === 'resource') {
        const canSubscribe = ctx.state.capabilities?.resources?.subscribe;
        return h(
          'div',
          {},
          h('h2', {}, x.name ?? x.uri),
          x.description ? h('p', {}, x.description) : null,
          h('button', { type: 'button', class: 'run', onclick: () => read(x.uri) }, 'Read'),
          canSubscribe
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: () => request('resources/subscribe', { uri: x.uri }).catch(() => {}),
                },
                'Subscribe',
              )
            : null,
          out,
        );
      }
      const names = [...x.uriTemplate.matchAll(/\{[+#./;?&]?([^}]+)\}/g)].flatMap((m) =>
        m[1].split(',').map((n) => n.replace(/\*$|:\d+$/, '')),
      );
      const args = argumentInputs(names, { type: 'ref/resource', uri: x.uriTemplate }, ctx);
      const submit = (e) => {
        e.preventDefault();
        const values = args.values();
        const uri = x.uriTemplate.replace(/\{[+#./;?&]?([^}]+)\}/g, (_, n) =>
          encodeURIComponent(values[n] ?? ''),
        );
        void read(uri);
      };
      return h(
        'div',
        {},
        h('h2', {}, x.name ?? x.uriTemplate),
        x.description ? h('p', {}, x.description) : null,
        h(
          'form',
          { class: 'call-form', onsubmit: submit },
          args.rows,
          h('button', { type: 'submit', class: 'run' }, 'Read'),
        ),
        out,
      );
    },
    'This server offers no resources.',
  );
}

/** The prompts panel. */
export async function showPrompts(panel, ctx) {
  const { result } = await request('prompts/list');
  listPanel(
    panel,
    result.prompts,
    (p) => p.name,
    (p) => p.title ?? p.description,
    (prompt) => {
      const out = h('div', { class: 'output' });
      const defs = prompt.arguments ?? [];
      const args = argumentInputs(
        defs.map((a) => a.name),
        { type: 'ref/prompt', name: prompt.name },
        ctx,
        new Set(defs.filter((a) => a.required).map((a) => a.name)),
      );
      const submit = (e) => {
        e.preventDefault();
        void runLong(out, 'prompts/get', { name: prompt.name, arguments: args.values() }, (r) =>
          renderPromptResult(r),
        );
      };
      return h(
        'div',
        {},
        h('h2', {}, prompt.title ?? prompt.name),
        prompt.description ? h('p', {}, prompt.description) : null,
        h(
          'form',
          { class: 'call-form', onsubmit: submit },
          args.rows,
          h('button', { type: 'submit', class: 'run' }, 'Get prompt'),
        ),
        out,
      );
    },
    'This server offers no prompts.',
  );
}

/** Reads a resource by URI into a fresh output area (for resource links in results). */
export function readInto(out, uri) {
  return runLong(out, 'resources/read', { uri }, (res) => renderReadResult(res));
}
