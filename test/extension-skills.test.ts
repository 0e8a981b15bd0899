import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enableSkills } from '../src/extensions/index.ts';
import { McpServer } from '../src/server/index.ts';
import { connectWire } from './support/wire.ts';

const V = '2026-07-28';
const SKILLS = 'io.modelcontextprotocol/skills';
const meta = {
  'io.modelcontextprotocol/protocolVersion': V,
  'io.modelcontextprotocol/clientCapabilities': {},
};
type Msg = Record<string, unknown>;

const LOGO = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);

async function setup(pageSize?: number) {
  const server = new McpServer({ name: 's', version: '1' });
  await enableSkills(server, {
    pageSize,
    cache: { ttlMs: 5000, scope: 'public' },
    skills: [
      {
        path: 'acme/pdf-processing',
        frontmatter: { name: 'pdf-processing', description: 'Work with PDF files', license: 'MIT' },
        body: '# PDF\n\nRead references/FORMS.md.\n',
        files: { 'references/FORMS.md': '# Forms\n', 'assets/logo.png': LOGO },
      },
      { frontmatter: { name: 'notes', description: 'Take notes: quickly' }, body: 'Write things down.\n' },
    ],
  });
  const wire = await connectWire(server);
  const call = async (method: string, params: Msg = {}) =>
    (await wire.call(method, { ...params, _meta: meta })).response;
  return { call };
}

const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function bytesOf(read: Msg): Uint8Array {
  const c = (read.contents as Msg[])[0] as { text?: string; blob?: string };
  return c.text !== undefined ? new TextEncoder().encode(c.text) : Buffer.from(c.blob ?? '', 'base64');
}

describe('Skills extension', () => {
  it('declares the extension inline with directoryRead, and the resources capability', async () => {
    const { call } = await setup();
    const caps = ((await call('server/discover')).result as Msg).capabilities as Msg;
    expect((caps.extensions as Msg)[SKILLS]).toEqual({ directoryRead: true });
    expect(caps.resources).toBeDefined();
  });

  it('lists each skill with its frontmatter and every file, whose size and digest match what resources/read serves', async () => {
    const { call } = await setup();
    const list = (await call('skills/list')).result as Msg;
    expect(list).toMatchObject({ resultType: 'complete', ttlMs: 5000, cacheScope: 'public' });
    expect(list.nextCursor).toBeUndefined();
    const [pdf, notes] = list.skills as Array<{ uri: string; frontmatter: Msg; resources: Msg[] }>;
    expect(pdf?.uri).toBe('skill://acme/pdf-processing/SKILL.md');
    expect(pdf?.frontmatter).toEqual({
      name: 'pdf-processing',
      description: 'Work with PDF files',
      license: 'MIT',
    });
    expect(pdf?.resources.map((r) => r.uri)).toEqual([
      'skill://acme/pdf-processing/SKILL.md',
      'skill://acme/pdf-processing/references/FORMS.md',
      'skill://acme/pdf-processing/assets/logo.png',
    ]);
    for (const file of pdf?.resources ?? []) {
      const bytes = bytesOf((await call('resources/read', { uri: file.uri })).result as Msg);
      expect(file.size).toBe(bytes.byteLength);
      expect(file.digest).toBe(sha256(bytes));
    }
    expect(notes?.uri).toBe('skill://notes/SKILL.md');
  });

  it('serves SKILL.md as text/markdown beginning with YAML frontmatter of the listed fields', async () => {
    const { call } = await setup();
    const read = (await call('resources/read', { uri: 'skill://notes/SKILL.md' })).result as Msg;
    const content = (read.contents as Msg[])[0];
    expect(content).toMatchObject({ mimeType: 'text/markdown' });
    expect(content?.text).toBe(
      '---\nname: notes\ndescription: "Take notes: quickly"\n---\nWrite things down.\n',
    );
    const listed = ((await call('resources/list')).result as Msg).resources as Msg[];
    expect(listed.find((r) => r.uri === 'skill://notes/SKILL.md')).toMatchObject({
      name: 'notes',
      description: 'Take notes: quickly',
      mimeType: 'text/markdown',
    });
  });

  it('gets one skill by URI, without a cursor; an unknown URI is -32602', async () => {
    const { call } = await setup();
    const got = (await call('skills/get', { uri: 'skill://notes/SKILL.md' })).result as Msg;
    expect(got).toMatchObject({
      skill: { uri: 'skill://notes/SKILL.md' },
      ttlMs: 5000,
      cacheScope: 'public',
    });
    expect(got).not.toHaveProperty('nextCursor');
    const unknown = (await call('skills/get', { uri: 'skill://nope/SKILL.md' })).error as Msg;
    expect(unknown.code).toBe(-32602);
  });

  it('pages skills/list by nextCursor and refuses a forged cursor', async () => {
    const { call } = await setup(1);
    const first = (await call('skills/list')).result as Msg;
    expect((first.skills as Msg[]).map((s) => s.uri)).toEqual(['skill://acme/pdf-processing/SKILL.md']);
    const second = (await call('skills/list', { cursor: first.nextCursor })).result as Msg;
    expect((second.skills as Msg[]).map((s) => s.uri)).toEqual(['skill://notes/SKILL.md']);
    expect(second.nextCursor).toBeUndefined();
    expect(((await call('skills/list', { cursor: 'bogus' })).error as Msg).code).toBe(-32602);
  });

  it('reads directories: direct children, subdirectories as inode/directory, a file URI is -32602', async () => {
    const { call } = await setup();
    const dir = (await call('resources/directory/read', { uri: 'skill://acme/pdf-processing' }))
      .result as Msg;
    expect(dir.resources).toEqual([
      expect.objectContaining({ uri: 'skill://acme/pdf-processing/SKILL.md', mimeType: 'text/markdown' }),
      { uri: 'skill://acme/pdf-processing/references', name: 'references', mimeType: 'inode/directory' },
      { uri: 'skill://acme/pdf-processing/assets', name: 'assets', mimeType: 'inode/directory' },
    ]);
    const top = (await call('resources/directory/read', { uri: 'skill://acme' })).result as Msg;
    expect(top.resources).toEqual([
      { uri: 'skill://acme/pdf-processing', name: 'pdf-processing', mimeType: 'inode/directory' },
    ]);
    const file = (await call('resources/directory/read', { uri: 'skill://notes/SKILL.md' })).error as Msg;
    expect(file.code).toBe(-32602);
  });
});
