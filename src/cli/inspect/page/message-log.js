/**
 * The live log of every JSON-RPC message both ways: direction, time since connecting, method or
 * id, the time a request took to be answered; filterable, each message opened on a click.
 */
import { h } from './dom.js';

const MAX_ROWS = 2000;

/** The message log bound to its container and filter controls. */
export class MessageLog {
  #el;
  #filter;
  #direction;
  #count;
  #start = undefined;
  #sent = new Map();
  #rows = 0;

  constructor(el, filter, direction, count) {
    this.#el = el;
    this.#filter = filter;
    this.#direction = direction;
    this.#count = count;
    filter.addEventListener('input', () => this.#apply());
    direction.addEventListener('change', () => this.#apply());
  }

  /** Empties the log. */
  clear() {
    this.#el.replaceChildren();
    this.#sent.clear();
    this.#rows = 0;
    this.#start = undefined;
    this.#counted();
  }

  /** Adds one message (or batch) seen on the wire. */
  add({ direction, time, message }) {
    for (const m of Array.isArray(message) ? message : [message]) this.#addOne(direction, time, m);
  }

  #addOne(direction, time, m) {
    this.#start ??= time;
    const isRequest = m && typeof m === 'object' && 'method' in m && 'id' in m;
    const isResponse = m && typeof m === 'object' && !('method' in m) && 'id' in m;
    let summary;
    let took = '';
    const key = `${direction === 'out' ? 'in' : 'out'}:${m?.id}`;
    if (isRequest) {
      summary = `${m.method} #${m.id}`;
      this.#sent.set(`${direction}:${m.id}`, { time, method: m.method });
    } else if (isResponse) {
      const req = this.#sent.get(key);
      summary = `${'error' in m ? 'error' : 'result'} #${m.id}${req ? ` (${req.method})` : ''}`;
      if (req) {
        took = `${time - req.time} ms`;
        this.#sent.delete(key);
      }
    } else if (m && typeof m === 'object' && 'method' in m) {
      summary = m.method;
    } else {
      summary = typeof m === 'string' ? 'not JSON' : 'message';
    }
    const text = JSON.stringify(m);
    const body = h('pre', { class: 'json', hidden: true }, JSON.stringify(m, null, 2));
    const row = h(
      'div',
      {
        class: `msg ${direction}${isResponse && 'error' in m ? ' is-error' : ''}`,
        'data-direction': direction,
        'data-text': text.toLowerCase(),
      },
      h(
        'div',
        { class: 'msg-head', onclick: () => (body.hidden = !body.hidden) },
        h('span', { class: 'arrow' }, direction === 'out' ? '→' : '←'),
        h('span', { class: 'at dim' }, `+${((time - this.#start) / 1000).toFixed(3)}s`),
        h('span', { class: 'what' }, summary),
        h('span', { class: 'took dim' }, took),
        h('span', { class: 'preview dim' }, text.length > 120 ? `${text.slice(0, 120)}…` : text),
      ),
      body,
    );
    row.hidden = !this.#matches(row);
    const atBottom = this.#el.scrollTop + this.#el.clientHeight >= this.#el.scrollHeight - 20;
    this.#el.append(row);
    if (++this.#rows > MAX_ROWS) {
      this.#el.firstChild?.remove();
      this.#rows--;
    }
    if (atBottom) this.#el.scrollTop = this.#el.scrollHeight;
    this.#counted();
  }

  #matches(row) {
    const dir = this.#direction.value;
    const needle = this.#filter.value.trim().toLowerCase();
    return (!dir || row.dataset.direction === dir) && (!needle || row.dataset.text.includes(needle));
  }

  #apply() {
    for (const row of this.#el.children) row.hidden = !this.#matches(row);
    this.#counted();
  }

  #counted() {
    const shown = [...this.#el.children].filter((r) => !r.hidden).length;
    this.#count.textContent = `${shown} of ${this.#rows}`;
  }
}
