import { describe, it } from 'vitest';
import { oauthFuzz } from '../../test/fuzz/oauth.ts';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';

describe(oauthFuzz.parser, () => {
  for (const property of oauthFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
