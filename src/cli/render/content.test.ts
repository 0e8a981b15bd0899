import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderToolResult } from './content.ts';

const colors = picocolors.createColors(false);

describe('renderToolResult', () => {
  it('prints structured content once when a text block already shows it, in any key order or layout', () => {
    const structuredContent = { tempC: 21, city: 'Oslo', wind: { speed: 3, dir: 'N' } };
    for (const text of [
      JSON.stringify(structuredContent),
      JSON.stringify({ city: 'Oslo', wind: { dir: 'N', speed: 3 }, tempC: 21 }),
      JSON.stringify(structuredContent, null, 2),
    ]) {
      expect(renderToolResult({ content: [{ type: 'text', text }], structuredContent }, colors)).toBe(text);
    }
  });

  it('prints structured content under the blocks when no text block shows it', () => {
    const out = renderToolResult(
      { content: [{ type: 'text', text: 'It is mild.' }], structuredContent: { tempC: 21 } },
      colors,
    );
    expect(out).toBe('It is mild.\nstructured content:\n{\n  "tempC": 21\n}');
    expect(renderToolResult({ content: [], structuredContent: { tempC: 21 } }, colors)).toBe(
      '{\n  "tempC": 21\n}',
    );
  });
});
