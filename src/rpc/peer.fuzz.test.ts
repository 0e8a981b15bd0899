import { describe, it } from 'vitest';
import { peerFuzz } from '../../test/fuzz/peer.ts';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';

describe(peerFuzz.parser, () => {
  for (const property of peerFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
