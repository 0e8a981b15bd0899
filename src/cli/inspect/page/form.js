/**
 * A form generated from a JSON Schema: required fields, enums, numbers, booleans, nested objects
 * and arrays; anything else (anyOf, oneOf, free-form) as a JSON text field. The raw JSON view of
 * the whole value is always one click away.
 */
import { h } from './dom.js';

/** Resolves a local `$ref` (#/$defs/x, #/definitions/x) against the root schema. */
function deref(schema, root, depth = 0) {
  if (!schema || typeof schema !== 'object' || typeof schema.$ref !== 'string' || depth > 16)
    return schema ?? {};
  const ref = schema.$ref;
  let target;
  if (ref.startsWith('#/')) {
    target = ref
      .slice(2)
      .split('/')
      .reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], root);
  }
  if (!target) return {};
  const { $ref, ...rest } = schema;
  return deref({ ...target, ...rest }, root, depth + 1);
}

function typeOf(schema) {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (t) return t;
  if (schema.properties) return 'object';
  if (Array.isArray(schema.enum)) return 'enum';
  return undefined;
}

function label(name, schema, required) {
  return h(
    'span',
    { class: 'label' },
    schema.title ?? name,
    required ? h('span', { class: 'required', title: 'required' }, ' *') : null,
    schema.description ? h('small', { class: 'dim' }, ` ${schema.description}`) : null,
  );
}

/** Builds the field of one schema; `get()` returns its value, or undefined when left empty. */
function field(schema0, root, path, required) {
  const schema = deref(schema0, root);
  const name = path.at(-1) ?? 'value';
  const key = path.join('.');
  const type = typeOf(schema);
  const choices = Array.isArray(schema.enum)
    ? schema.enum
    : Array.isArray(schema.oneOf) && schema.oneOf.every((o) => 'const' in o)
      ? schema.oneOf.map((o) => o.const)
      : undefined;
  if (choices) {
    const select = h(
      'select',
      { name: key },
      required && schema.default === undefined ? null : h('option', { value: '' }, '(unset)'),
      choices.map((c, i) => h('option', { value: String(i) }, String(c))),
    );
    const d = choices.indexOf(schema.default);
    if (d >= 0) select.value = String(d);
    return {
      el: h('label', { class: 'field' }, label(name, schema, required), select),
      get: () => (select.value === '' ? undefined : choices[Number(select.value)]),
    };
  }
  if (type === 'boolean') {
    const box = h('input', { type: 'checkbox', name: key, checked: schema.default === true });
    let touched = schema.default !== undefined || required;
    box.addEventListener('change', () => {
      touched = true;
    });
    return {
      el: h('label', { class: 'field check' }, box, label(name, schema, required)),
      get: () => (touched ? box.checked : undefined),
    };
  }
  if (type === 'number' || type === 'integer') {
    const input = h('input', {
      type: 'number',
      name: key,
      step: type === 'integer' ? '1' : 'any',
      min: schema.minimum,
      max: schema.maximum,
      value: schema.default === undefined ? '' : String(schema.default),
    });
    return {
      el: h('label', { class: 'field' }, label(name, schema, required), input),
      get: () => {
        if (input.value.trim() === '') return undefined;
        const n = Number(input.value);
        if (!Number.isFinite(n)) throw new Error(`'${key}' must be a number.`);
        if (type === 'integer' && !Number.isInteger(n)) throw new Error(`'${key}' must be a whole number.`);
        return n;
      },
    };
  }
  if (type === 'string') {
    const input = h('input', {
      type: schema.format === 'email' ? 'email' : schema.format === 'uri' ? 'url' : 'text',
      name: key,
      value: typeof schema.default === 'string' ? schema.default : '',
      placeholder: schema.format ?? '',
    });
    return {
      el: h('label', { class: 'field' }, label(name, schema, required), input),
      get: () => (input.value === '' && !required ? undefined : input.value),
    };
  }
  if (type === 'object' && schema.properties) {
    const need = new Set(Array.isArray(schema.required) ? schema.required : []);
    const fields = Object.entries(schema.properties).map(([k, s]) => [
      k,
      field(s, root, [...path, k], need.has(k)),
    ]);
    return {
      el: h(
        'fieldset',
        { class: 'object' },
        path.length > 0 ? h('legend', {}, label(name, schema, required)) : null,
        fields.map(([, f]) => f.el),
      ),
      get: () => {
        const out = {};
        for (const [k, f] of fields) {
          const v = f.get();
          if (v !== undefined) out[k] = v;
          else if (need.has(k)) throw new Error(`'${[...path, k].join('.')}' is required.`);
        }
        return Object.keys(out).length === 0 && !required && path.length > 0 ? undefined : out;
      },
    };
  }
  if (type === 'array' && schema.items) {
    const items = [];
    const list = h('div', { class: 'items' });
    const add = () => {
      const f = field(schema.items, root, [...path, String(items.length)], true);
      const row = h('div', { class: 'item' }, f.el);
      const entry = { f, row };
      row.append(
        h(
          'button',
          {
            type: 'button',
            class: 'small',
            onclick: () => {
              items.splice(items.indexOf(entry), 1);
              row.remove();
            },
          },
          'remove',
        ),
      );
      items.push(entry);
      list.append(row);
    };
    return {
      el: h(
        'fieldset',
        { class: 'array' },
        h('legend', {}, label(name, schema, required)),
        list,
        h('button', { type: 'button', class: 'small', name: `${key}+`, onclick: add }, '+ add item'),
      ),
      get: () => {
        const values = items.map((i) => i.f.get()).filter((v) => v !== undefined);
        return values.length === 0 && !required ? undefined : values;
      },
    };
  }
  const area = h('textarea', {
    name: key,
    rows: 2,
    placeholder: 'JSON',
    value: schema.default === undefined ? '' : JSON.stringify(schema.default),
  });
  return {
    el: h(
      'label',
      { class: 'field' },
      label(name, schema, required),
      area,
      h('small', { class: 'dim' }, ' (JSON)'),
    ),
    get: () => {
      if (area.value.trim() === '') return undefined;
      try {
        return JSON.parse(area.value);
      } catch {
        throw new Error(`'${key}' is not valid JSON.`);
      }
    },
  };
}

/**
 * A form for an object schema, with a toggle to raw JSON. `value()` returns the object, or throws
 * an Error that says which field is wrong.
 */
export function schemaForm(schema) {
  const root = schema ?? { type: 'object' };
  const usable = typeOf(deref(root, root)) === 'object';
  const form = usable ? field(root, root, [], true) : undefined;
  const raw = h('textarea', { class: 'raw', name: '(raw json)', rows: 6, hidden: usable, value: '{}' });
  const toggle = h('input', { type: 'checkbox', name: '(raw toggle)', checked: !usable });
  const formBox = h('div', { class: 'schema-form', hidden: !usable }, form?.el);
  toggle.addEventListener('change', () => {
    if (toggle.checked && form) {
      try {
        raw.value = JSON.stringify(form.get() ?? {}, null, 2);
      } catch {
        // keep the last raw text
      }
    }
    raw.hidden = !toggle.checked;
    formBox.hidden = toggle.checked;
  });
  return {
    el: h('div', {}, formBox, h('label', { class: 'field check' }, toggle, ' raw JSON'), raw),
    value() {
      if (toggle.checked || !form) {
        try {
          return JSON.parse(raw.value || '{}');
        } catch (e) {
          throw new Error(`The raw JSON is not valid: ${e.message}`);
        }
      }
      return form.get() ?? {};
    },
  };
}
