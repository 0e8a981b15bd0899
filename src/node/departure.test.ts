import { describe, expect, it } from 'vitest';
import { ClientDeparture } from './departure.ts';

describe('ClientDeparture: the client going away, without an AbortController until asked', () => {
  it('calls each listener once when the client goes, and none removed before', () => {
    const departure = new ClientDeparture();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    const c = () => calls.push('c');
    departure.addEventListener('abort', a);
    departure.addEventListener('abort', b);
    departure.addEventListener('abort', c);
    departure.removeEventListener('abort', b);
    expect(departure.aborted).toBe(false);
    departure.depart();
    departure.depart();
    expect(departure.aborted).toBe(true);
    expect(calls).toEqual(['a', 'c']);
    departure.addEventListener('abort', a); // too late: never called
    expect(calls).toEqual(['a', 'c']);
  });

  it('runs every listener when one throws, then throws its error', () => {
    const departure = new ClientDeparture();
    const calls: string[] = [];
    departure.addEventListener('abort', () => {
      calls.push('a');
      throw new Error('a failed');
    });
    departure.addEventListener('abort', () => calls.push('b'));
    expect(() => departure.depart()).toThrow('a failed');
    expect(calls).toEqual(['a', 'b']);
  });

  it('a single listener removed is not called', () => {
    const departure = new ClientDeparture();
    let called = false;
    const listener = () => {
      called = true;
    };
    departure.addEventListener('abort', listener);
    departure.removeEventListener('abort', listener);
    departure.depart();
    expect(called).toBe(false);
  });

  it('makes its signal when asked: live before the client goes, aborted after (or at once if it has gone)', () => {
    const before = new ClientDeparture();
    const signal = before.signal;
    expect(signal.aborted).toBe(false);
    expect(before.signal).toBe(signal);
    before.depart();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('The client closed the connection.');

    const after = new ClientDeparture();
    after.depart();
    expect(after.signal.aborted).toBe(true);
  });
});
