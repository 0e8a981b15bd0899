import { describe, it } from 'vitest';
import { requestStateFuzz } from '../../test/fuzz/request-state.ts';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';

describe(requestStateFuzz.parser, () => {
  for (const property of requestStateFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
