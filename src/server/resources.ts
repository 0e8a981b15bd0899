/** Resources and resource templates: definitions, lookup, reading, completion of template variables. */
import {
  FEATURES,
  McpError,
  type ReadResourceResult,
  type Resource,
  type ResourceContents,
  type ResourceTemplate,
  type Revision,
} from '../protocol/index.ts';
import type { RequestContext } from './context.ts';
import type { UriTemplate } from './uri-template.ts';

/** What a read handler may return. */
export type ReadReturn = ReadResourceResult | ResourceContents | ResourceContents[] | string | Uint8Array;

/** How a resource is described: everything a listed Resource has but its uri. */
export type ResourceDefinition = Omit<Resource, 'uri'>;

/** Suggests values for one variable or argument, given what was typed and the other values. */
export type Completer = (
  value: string,
  context: { arguments: Record<string, string> },
) => string[] | Promise<string[]>;

/** How a resource template is described. */
export interface ResourceTemplateDefinition extends Omit<ResourceDefinition, 'size'> {
  /** Completers for the template's variables. */
  complete?: Record<string, Completer>;
  /** Lists the concrete resources of this template, for `resources/list`. */
  list?: (ctx: RequestContext) => Resource[] | Promise<Resource[]>;
}

/** A static resource. */
export interface ResourceEntry {
  readonly listed: Resource;
  readonly read: (uri: string, ctx: RequestContext) => ReadReturn | Promise<ReadReturn>;
}

/** A resource template. */
export interface TemplateEntry {
  readonly listed: ResourceTemplate;
  readonly template: UriTemplate;
  readonly def: ResourceTemplateDefinition;
  readonly read: (
    uri: string,
    variables: Record<string, string | string[]>,
    ctx: RequestContext,
  ) => ReadReturn | Promise<ReadReturn>;
}

/** Builds the listed form of a resource. */
export function buildResource(uri: string, def: ResourceDefinition): Resource {
  return { uri, ...def };
}

/** Builds the listed form of a template. */
export function buildTemplate(uriTemplate: string, def: ResourceTemplateDefinition): ResourceTemplate {
  const { complete: _c, list: _l, ...rest } = def;
  return { uriTemplate, ...rest };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Turns what a read handler returned into a ReadResourceResult. */
export function normalizeRead(
  uri: string,
  mimeType: string | undefined,
  returned: ReadReturn,
): ReadResourceResult {
  if (typeof returned === 'string') {
    return {
      contents: [mimeType === undefined ? { uri, text: returned } : { uri, mimeType, text: returned }],
    };
  }
  if (returned instanceof Uint8Array) {
    const blob = toBase64(returned);
    return { contents: [mimeType === undefined ? { uri, blob } : { uri, mimeType, blob }] };
  }
  if (Array.isArray(returned)) return { contents: returned };
  if ('contents' in returned) return returned as ReadResourceResult;
  return { contents: [returned as ResourceContents] };
}

/** The "resource not found" error of a revision (-32002, or -32602 from 2026-07-28). */
export function resourceNotFound(uri: string, revision: Revision): McpError {
  return new McpError(FEATURES[revision].resourceNotFoundCode, `Resource not found: ${uri}`, { uri });
}

/** Caps a completion list at 100 values, as the spec requires. */
export function completionResult(values: string[]): {
  completion: { values: string[]; total: number; hasMore: boolean };
} {
  return { completion: { values: values.slice(0, 100), total: values.length, hasMore: values.length > 100 } };
}
