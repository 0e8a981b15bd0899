import { describe, it } from 'vitest';
import { httpBodyFuzz } from '../../test/fuzz/http.ts';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';

describe(httpBodyFuzz.parser, () => {
  for (const property of httpBodyFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
