/**
 * Results the server hands out again and again unchanged (the first page of `tools/list`, built
 * once per change of the registry): each is shaped once per revision and serialized once, so that
 * sending it costs a string concatenation instead of a walk over every tool's schema.
 */
import type { JsonRpcMessage } from './jsonrpc.ts';
import type { Revision } from './revisions.ts';

type Obj = Record<string, unknown>;

interface Stable {
  /** The JSON text of the result, once first sent. */
  text?: string;
  /** The result shaped for older revisions, by revision. */
  shaped?: Map<Revision, Obj>;
}

const STABLE = new WeakMap<object, Stable>();

/**
 * Marks a result as never to be changed again, so that its JSON text may be kept and reused.
 * Returns the result. Changing a marked result afterwards is a bug: the old text would be sent.
 */
export function markStable<T extends object>(result: T): T {
  if (!STABLE.has(result)) STABLE.set(result, {});
  return result;
}

/** The shaped copy of a stable result for a revision, made once by `shape`; other results: `shape`'s. */
export function shapedStable(result: Obj, revision: Revision, shape: () => Obj): Obj {
  const stable = STABLE.get(result);
  if (!stable) return shape();
  let shaped = stable.shaped?.get(revision);
  if (!shaped) {
    shaped = markStable(shape());
    stable.shaped ??= new Map();
    stable.shaped.set(revision, shaped);
  }
  return shaped;
}

/**
 * The JSON text of a message, as `JSON.stringify` writes it; a response whose result is stable
 * reuses the result's text.
 */
export function messageText(message: JsonRpcMessage | JsonRpcMessage[]): string {
  const result = (message as { result?: unknown }).result;
  if (result !== undefined && typeof result === 'object' && result !== null) {
    const stable = STABLE.get(result);
    if (stable && !Array.isArray(message)) {
      stable.text ??= JSON.stringify(result);
      const m = message as { jsonrpc: string; id: unknown };
      if (Object.keys(message).length === 3 && m.jsonrpc === '2.0') {
        return `{"jsonrpc":"2.0","id":${JSON.stringify(m.id)},"result":${stable.text}}`;
      }
    }
  }
  return JSON.stringify(message);
}
