import { describe, expect, it } from 'vitest';
import { MemoryBus } from './bus.ts';

describe('MemoryBus', () => {
  it('delivers each message to every subscriber of its channel, until unsubscribed', async () => {
    const bus = new MemoryBus();
    const a: string[] = [];
    const b: string[] = [];
    const offA = await bus.subscribe('x', (m) => a.push(m));
    await bus.subscribe('x', (m) => b.push(m));
    await bus.subscribe('y', () => a.push('wrong channel'));
    await bus.publish('x', '1');
    await offA();
    await bus.publish('x', '2');
    await new Promise((r) => setTimeout(r, 0));
    expect(a).toEqual(['1']);
    expect(b).toEqual(['1', '2']);
    expect(bus.size).toBe(2);
  });
});
