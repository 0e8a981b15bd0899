import { describe, expect, it } from 'vitest';
import { buildSkill, renderSkillMd, sha256Digest } from './skill-files.ts';

describe('renderSkillMd', () => {
  it('writes plain scalars where YAML reads them back as the same string, JSON otherwise', () => {
    const text = renderSkillMd(
      {
        name: 'pdf',
        description: 'Extract, fill, and assemble PDF documents',
        version: '1.0',
        flag: 'true',
        colon: 'a: b',
        padded: 'x ',
        count: 3,
        metadata: { author: 'me' },
      },
      'Body\n',
    );
    expect(text).toBe(
      [
        '---',
        'name: pdf',
        'description: Extract, fill, and assemble PDF documents',
        'version: "1.0"',
        'flag: "true"',
        'colon: "a: b"',
        'padded: "x "',
        'count: 3',
        'metadata: {"author":"me"}',
        '---',
        'Body\n',
      ].join('\n'),
    );
  });
});

describe('buildSkill', () => {
  it('computes each file: uri, size-bearing bytes, sha256 digest, MIME type; SKILL.md first', async () => {
    const skill = await buildSkill({
      path: 'acme/tool-kit',
      frontmatter: { name: 'tool-kit', description: 'd' },
      body: 'b',
      files: { 'scripts/run.py': 'print(1)\n' },
    });
    expect(skill.uri).toBe('skill://acme/tool-kit/SKILL.md');
    expect(skill.files.map((f) => [f.uri, f.mimeType])).toEqual([
      ['skill://acme/tool-kit/SKILL.md', 'text/markdown'],
      ['skill://acme/tool-kit/scripts/run.py', 'text/x-python'],
    ]);
    const py = skill.files[1];
    expect(py?.digest).toBe(await sha256Digest(new TextEncoder().encode('print(1)\n')));
    expect(py?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses names the Agent Skills rules forbid, paths not ending in the name, and escaping file paths', async () => {
    const fm = (name: string) => ({ name, description: 'd' });
    await expect(buildSkill({ frontmatter: fm('Bad_Name'), body: '' })).rejects.toThrow(/invalid/);
    await expect(buildSkill({ frontmatter: fm('a--b'), body: '' })).rejects.toThrow(/invalid/);
    await expect(buildSkill({ frontmatter: fm('ok'), path: 'x/other', body: '' })).rejects.toThrow(/ending/);
    await expect(
      buildSkill({ frontmatter: fm('ok'), body: '', files: { '../secret': 'x' } }),
    ).rejects.toThrow(/inside the skill/);
    await expect(buildSkill({ frontmatter: { name: 'ok', description: '' }, body: '' })).rejects.toThrow(
      /description/,
    );
  });
});
