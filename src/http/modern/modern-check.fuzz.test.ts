import { describe, it } from 'vitest';
import { httpModernFuzz } from '../../../test/fuzz/http.ts';
import { runFuzzProperty } from '../../../test/fuzz/runner.ts';

describe(httpModernFuzz.parser, () => {
  for (const property of httpModernFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
