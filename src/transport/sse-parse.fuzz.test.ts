import { describe, it } from 'vitest';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';
import { sseFuzz } from '../../test/fuzz/sse.ts';

describe(sseFuzz.parser, () => {
  for (const property of sseFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
