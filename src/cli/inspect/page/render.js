/**
 * A result shown by content type: text, images, audio, embedded and linked resources, structured
 * content (with the output schema check), errors; the raw JSON underneath. Nothing the server sends
 * is ever read as HTML.
 */
import { h, json } from './dom.js';

const MEDIA = /^(image|audio)\/[\w.+-]+$/;

function dataUrl(mimeType, base64) {
  return `data:${mimeType};base64,${base64}`;
}

function bytesOf(base64) {
  return Math.floor((String(base64).length * 3) / 4);
}

function resourceBody(resource, onRead) {
  const head = h(
    'div',
    { class: 'resource-head' },
    h('code', {}, resource.uri),
    resource.mimeType ? h('span', { class: 'dim' }, ` ${resource.mimeType}`) : null,
  );
  if (typeof resource.text === 'string')
    return h('div', { class: 'block resource' }, head, h('pre', {}, resource.text));
  if (typeof resource.blob === 'string') {
    const mime = String(resource.mimeType ?? '');
    const media = MEDIA.test(mime)
      ? mime.startsWith('image/')
        ? h('img', { src: dataUrl(mime, resource.blob), alt: resource.uri })
        : h('audio', { controls: true, src: dataUrl(mime, resource.blob) })
      : h('span', { class: 'dim' }, `${bytesOf(resource.blob)} bytes of binary data`);
    return h('div', { class: 'block resource' }, head, media);
  }
  return h('div', { class: 'block resource' }, head, onRead ? null : json(resource));
}

/** One content block. `onRead(uri)` reads a linked resource. */
export function renderBlock(block, onRead) {
  switch (block?.type) {
    case 'text':
      return h('pre', { class: 'block text' }, block.text);
    case 'image':
    case 'audio': {
      const mime = String(block.mimeType ?? '');
      if (!MEDIA.test(mime) || !mime.startsWith(`${block.type}/`)) {
        return h('div', { class: 'block bad' }, `${block.type} with an unexpected MIME type '${mime}'`);
      }
      const media =
        block.type === 'image'
          ? h('img', { src: dataUrl(mime, block.data), alt: 'image from the server' })
          : h('audio', { controls: true, src: dataUrl(mime, block.data) });
      return h(
        'div',
        { class: `block ${block.type}` },
        media,
        h('small', { class: 'dim' }, ` ${mime}, ${bytesOf(block.data)} bytes`),
      );
    }
    case 'resource':
      return resourceBody(block.resource ?? {}, undefined);
    case 'resource_link':
      return h(
        'div',
        { class: 'block resource-link' },
        '🔗 ',
        h('code', {}, block.uri),
        block.name ? ` ${block.name}` : null,
        block.mimeType ? h('span', { class: 'dim' }, ` ${block.mimeType}`) : null,
        onRead
          ? h('button', { type: 'button', class: 'small', onclick: () => onRead(block.uri) }, 'read')
          : null,
      );
    default:
      return h('div', { class: 'block' }, json(block));
  }
}

/** A list of content blocks. */
export function renderContent(blocks, onRead) {
  const list = Array.isArray(blocks) ? blocks : blocks ? [blocks] : [];
  return h(
    'div',
    { class: 'content' },
    list.map((b) => renderBlock(b, onRead)),
  );
}

/** A tools/call result; `tool` gives the output schema it was checked against. */
export function renderToolResult(result, tool, onRead, ms) {
  const badges = h('div', { class: 'badges' });
  if (result.isError)
    badges.append(h('span', { class: 'badge error' }, 'isError: the tool reported an error'));
  else badges.append(h('span', { class: 'badge ok' }, 'success'));
  if (typeof ms === 'number') badges.append(h('span', { class: 'badge' }, `${ms} ms`));
  const structured =
    result.structuredContent === undefined
      ? null
      : h(
          'div',
          { class: 'structured' },
          h('strong', {}, 'structuredContent'),
          tool?.outputSchema && !result.isError
            ? h('span', { class: 'badge ok schema-check' }, '✓ matches the output schema')
            : h('span', { class: 'badge' }, 'no output schema'),
          json(result.structuredContent),
        );
  return h(
    'div',
    { class: 'result' },
    badges,
    renderContent(result.content, onRead),
    structured,
    h('details', {}, h('summary', {}, 'raw result'), json(result)),
  );
}

/** An error from a call: its message, code and data. */
export function renderError(error) {
  return h(
    'div',
    { class: 'result failed' },
    h('div', { class: 'badge error' }, error.code !== undefined ? `error ${error.code}` : 'failed'),
    h('pre', { class: 'error-text' }, error.message),
    error.details ? h('pre', { class: 'dim' }, error.details) : null,
    error.data !== undefined ? json(error.data) : null,
  );
}

/** A resources/read result. */
export function renderReadResult(result) {
  return h(
    'div',
    { class: 'result' },
    (result.contents ?? []).map((c) => resourceBody(c, undefined)),
  );
}

/** A prompts/get result: each message with its role. */
export function renderPromptResult(result) {
  return h(
    'div',
    { class: 'result' },
    result.description ? h('p', { class: 'dim' }, result.description) : null,
    (result.messages ?? []).map((m) =>
      h('div', { class: `message ${m.role}` }, h('strong', {}, `${m.role}: `), renderContent(m.content)),
    ),
    h('details', {}, h('summary', {}, 'raw result'), json(result)),
  );
}
