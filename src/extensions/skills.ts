/**
 * The Skills extension (`io.modelcontextprotocol/skills`, SEP-2640) on a server: `skills/list` and
 * `skills/get` describe each skill (its SKILL.md URI, frontmatter, and every file with its size and
 * digest), the files themselves are resources under `skill://`, and `resources/directory/read`
 * lists a skill directory's children.
 *
 *   await enableSkills(server, { skills: [{ frontmatter: { name, description }, body }] });
 */
import { type CacheScope, ErrorCode, McpError, type Resource } from '../protocol/index.ts';
import type { McpServer } from '../server/index.ts';
import { type BuiltSkill, buildSkill, type SkillDefinition, toBase64 } from './skill-files.ts';

/** The extension's identifier, as declared in `capabilities.extensions`. */
export const SKILLS_EXTENSION = 'io.modelcontextprotocol/skills';

const DIRECTORY = 'inode/directory';

/** Options of the Skills extension. */
export interface SkillsOptions {
  /** The skills to serve. */
  skills: SkillDefinition[];
  /** Entries per page of `skills/list` and `resources/directory/read` (default 50). */
  pageSize?: number;
  /** Caching hints on `skills/list` and `skills/get` (default: ttlMs 0, scope public). */
  cache?: { ttlMs?: number; scope?: CacheScope };
  /** Whether to serve `resources/directory/read` (default true). */
  directoryRead?: boolean;
}

/** A skill entry of `skills/list` / `skills/get`. */
export interface SkillEntry {
  uri: string;
  frontmatter: Record<string, unknown>;
  resources: Array<{ uri: string; digest: string; size: number }>;
}

/** The skills a server serves. */
export interface Skills {
  /** The entries, in listing order. */
  readonly entries: readonly SkillEntry[];
}

function entryOf(skill: BuiltSkill): SkillEntry {
  return {
    uri: skill.uri,
    frontmatter: skill.frontmatter,
    resources: skill.files.map((f) => ({ uri: f.uri, digest: f.digest, size: f.bytes.byteLength })),
  };
}

/** Offset cursors: opaque to clients, -32602 when not one of ours. */
function readCursor(cursor: unknown, length: number): number {
  if (cursor === undefined) return 0;
  const offset =
    typeof cursor === 'string' && /^o[0-9]+$/.test(cursor) ? Number(cursor.slice(1)) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > length) {
    throw new McpError(
      ErrorCode.InvalidParams,
      'Invalid cursor: pass back a nextCursor exactly as received.',
    );
  }
  return offset;
}

function page<T>(items: readonly T[], cursor: unknown, size: number): { items: T[]; nextCursor?: string } {
  const start = readCursor(cursor, items.length);
  const end = start + size;
  return end < items.length
    ? { items: items.slice(start, end), nextCursor: `o${end}` }
    : { items: items.slice(start) };
}

/** Every directory under `skill://` and its direct children (files and subdirectories). */
function directoryTree(skills: BuiltSkill[]): Map<string, Map<string, Resource>> {
  const tree = new Map<string, Map<string, Resource>>();
  const add = (dir: string, child: Resource) => {
    const children = tree.get(dir) ?? new Map<string, Resource>();
    tree.set(dir, children);
    children.set(child.uri, child);
  };
  for (const skill of skills) {
    for (const file of skill.files) {
      const segments = file.uri.slice('skill://'.length).split('/');
      for (let i = 1; i < segments.length; i++) {
        const dir = `skill://${segments.slice(0, i).join('/')}`;
        const last = i === segments.length - 1;
        const uri = last ? file.uri : `skill://${segments.slice(0, i + 1).join('/')}`;
        const name = segments[i] as string;
        add(
          dir,
          last
            ? { uri, name, mimeType: file.mimeType, size: file.bytes.byteLength }
            : { uri, name, mimeType: DIRECTORY },
        );
      }
    }
  }
  return tree;
}

/**
 * Serves skills: declares the extension, registers every skill file as a resource and adds
 * `skills/list`, `skills/get` and (unless turned off) `resources/directory/read`.
 */
export async function enableSkills(server: McpServer, options: SkillsOptions): Promise<Skills> {
  const built = await Promise.all(options.skills.map((s) => buildSkill(s)));
  const seen = new Set<string>();
  for (const skill of built) {
    if (seen.has(skill.uri)) throw new Error(`Two skills are served at ${skill.uri}; give one another path.`);
    seen.add(skill.uri);
  }
  const size = Math.max(1, options.pageSize ?? 50);
  const cache = { ttlMs: options.cache?.ttlMs ?? 0, cacheScope: options.cache?.scope ?? 'public' };
  const entries = built.map(entryOf);
  const byUri = new Map(entries.map((e) => [e.uri, e]));
  const directoryRead = options.directoryRead !== false;

  server.extension(SKILLS_EXTENSION, directoryRead ? { directoryRead: true } : {});
  for (const skill of built) {
    for (const file of skill.files) {
      const isSkillMd = file.path === 'SKILL.md';
      server.resource(
        file.uri,
        {
          name: isSkillMd ? skill.name : `${skill.name}/${file.path}`,
          description: isSkillMd ? String(skill.frontmatter.description) : undefined,
          mimeType: file.mimeType,
          size: file.bytes.byteLength,
        },
        (uri) =>
          file.text !== undefined
            ? { uri, mimeType: file.mimeType, text: file.text }
            : { uri, mimeType: file.mimeType, blob: toBase64(file.bytes) },
      );
    }
  }
  server.method('skills/list', (params) => {
    const { items, nextCursor } = page(entries, params.cursor, size);
    return { skills: items, ...(nextCursor ? { nextCursor } : {}), ...cache };
  });
  server.method('skills/get', (params) => {
    const entry = typeof params.uri === 'string' ? byUri.get(params.uri) : undefined;
    if (!entry) {
      throw new McpError(ErrorCode.InvalidParams, `No skill is served at '${String(params.uri)}'.`, {
        uri: params.uri,
      });
    }
    return { skill: entry, ...cache };
  });
  if (directoryRead) {
    const tree = directoryTree(built);
    server.method('resources/directory/read', (params) => {
      const children = typeof params.uri === 'string' ? tree.get(params.uri.replace(/\/+$/, '')) : undefined;
      if (!children) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `'${String(params.uri)}' is not a directory this server serves.`,
          {
            uri: params.uri,
          },
        );
      }
      const { items, nextCursor } = page([...children.values()], params.cursor, size);
      return { resources: items, ...(nextCursor ? { nextCursor } : {}) };
    });
  }
  return { entries };
}
