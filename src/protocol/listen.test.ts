import { describe, expect, it } from 'vitest';
import { grantListenFilter, listenWants } from './listen.ts';

describe('the subscriptions/listen filter', () => {
  const everything = {
    tools: { listChanged: true },
    prompts: { listChanged: true },
    resources: { listChanged: true, subscribe: true },
  };

  it('grants what was asked for and the server can give, and nothing else', () => {
    const asked = {
      toolsListChanged: true,
      promptsListChanged: 'yes',
      resourcesListChanged: true,
      resourceSubscriptions: ['file:///a', 7, 'file:///b'],
      somethingElse: true,
    };
    expect(grantListenFilter(asked, everything)).toEqual({
      toolsListChanged: true,
      resourcesListChanged: true,
      resourceSubscriptions: ['file:///a', 'file:///b'],
    });
    expect(grantListenFilter(asked, { tools: {}, resources: { listChanged: true } })).toEqual({
      resourcesListChanged: true,
    });
    expect(grantListenFilter(undefined, everything)).toEqual({});
    expect(grantListenFilter({ resourceSubscriptions: [1] }, everything)).toEqual({});
  });

  it('wants a list change whose flag is granted, and updates of subscribed resources only', () => {
    const filter = { toolsListChanged: true, resourceSubscriptions: ['file:///a'] };
    expect(listenWants(filter, 'notifications/tools/list_changed', {})).toBe(true);
    expect(listenWants(filter, 'notifications/prompts/list_changed', {})).toBe(false);
    expect(listenWants(filter, 'notifications/resources/updated', { uri: 'file:///a' })).toBe(true);
    expect(listenWants(filter, 'notifications/resources/updated', { uri: 'file:///b' })).toBe(false);
    expect(listenWants(filter, 'notifications/message', { uri: 'file:///a' })).toBe(false);
    expect(listenWants({}, 'notifications/resources/updated', { uri: 'file:///a' })).toBe(false);
  });
});
