/** What `mcpkit/redis` resolves to under the `workerd` and `browser` export conditions: a clear refusal. */
throw new Error(
  'mcpkit/redis needs Node.js (ioredis opens TCP sockets). On Cloudflare Workers or in a browser, keep the ' +
    'in-memory stores of mcpkit/store, or implement SessionStore and EventStore on a store your runtime reaches.',
);
