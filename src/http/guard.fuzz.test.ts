import { describe, it } from 'vitest';
import { httpGuardFuzz } from '../../test/fuzz/http.ts';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';

describe(httpGuardFuzz.parser, () => {
  for (const property of httpGuardFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
