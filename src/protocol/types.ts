/**
 * MCP's data types, as one superset of every revision: the shared ones (content, resources, icons,
 * implementation info) here, each feature's in its own file. A field that only some revisions have
 * says since when in its doc comment; `shape.ts` drops fields a peer's revision lacks before sending.
 */
import type { Meta } from './jsonrpc.ts';

/** A JSON Schema object, kept exactly as written. */
export type JsonSchema = Record<string, unknown>;

/** An icon (2025-11-25). */
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

/** Name and version of a client or server. */
export interface Implementation {
  name: string;
  version: string;
  /** @since 2025-06-18 */
  title?: string;
  /** @since 2025-11-25 */
  description?: string;
  /** @since 2025-11-25 */
  icons?: Icon[];
  /** @since 2025-11-25 */
  websiteUrl?: string;
}

/** Who a piece of content is for. */
export type Role = 'user' | 'assistant';

/** Hints for the client about content. */
export interface Annotations {
  audience?: Role[];
  priority?: number;
  /** @since 2025-06-18 */
  lastModified?: string;
}

/** Text content. */
export interface TextContent {
  type: 'text';
  text: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** An image, base64. */
export interface ImageContent {
  type: 'image';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** Audio, base64. @since 2025-03-26 */
export interface AudioContent {
  type: 'audio';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: Meta;
}

/** The text contents of a resource. */
export interface TextResourceContents {
  uri: string;
  mimeType?: string;
  text: string;
  _meta?: Meta;
}

/** The binary contents of a resource, base64. */
export interface BlobResourceContents {
  uri: string;
  mimeType?: string;
  blob: string;
  _meta?: Meta;
}

/** The contents of a resource. */
export type ResourceContents = TextResourceContents | BlobResourceContents;

/** A resource embedded in content. */
export interface EmbeddedResource {
  type: 'resource';
  resource: ResourceContents;
  annotations?: Annotations;
  _meta?: Meta;
}

/** A resource a client can read. */
export interface Resource {
  uri: string;
  name: string;
  /** @since 2025-06-18 */
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Annotations;
  /** @since 2025-11-25 */
  icons?: Icon[];
  _meta?: Meta;
}

/** A link to a resource. @since 2025-06-18 */
export interface ResourceLink extends Resource {
  type: 'resource_link';
}

/** A content block in tool results and prompt messages. */
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

/** A page of a list. */
export interface Page {
  nextCursor?: string;
  _meta?: Meta;
}

/** An empty result, as for `ping` and `logging/setLevel`. */
export type EmptyResult = Record<string, never>;
