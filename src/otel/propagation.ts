/**
 * Trace context in `params._meta` (the MCP conventions, after SEP-414): the configured propagators
 * write `traceparent`, `tracestate` and `baggage` there, unprefixed, and read them back as the
 * remote parent.
 */
import { type Context, propagation, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import type { Params } from '../protocol/index.ts';

type Carrier = Record<string, unknown>;

const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

const setter: TextMapSetter<Carrier> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The params with the context of `ctx` written into a copy of their `_meta`. */
export function injectContext(ctx: Context, params: Params | undefined): Params {
  const meta: Carrier = { ...(params?._meta as Carrier | undefined) };
  propagation.inject(ctx, meta, setter);
  return { ...params, _meta: meta };
}

/** The context carried in `params._meta`, on top of `base`. */
export function extractContext(base: Context, params: Params | undefined): Context {
  const meta = params?._meta;
  if (typeof meta !== 'object' || meta === null) return base;
  return propagation.extract(base, meta as Carrier, getter);
}
