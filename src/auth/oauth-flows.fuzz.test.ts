import { describe, it } from 'vitest';
import { oauthFlowsFuzz } from '../../test/fuzz/oauth-flows.ts';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';

describe(oauthFlowsFuzz.parser, () => {
  for (const property of oauthFlowsFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
