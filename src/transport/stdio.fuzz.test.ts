import { describe, it } from 'vitest';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';
import { stdioFuzz } from '../../test/fuzz/stdio.ts';

describe(stdioFuzz.parser, () => {
  for (const property of stdioFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
