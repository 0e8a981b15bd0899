/** What `mcpkit/node` resolves to under the `workerd` and `browser` export conditions: a clear refusal. */
throw new Error(
  'mcpkit/node needs Node.js (node:http, processes, files). On Cloudflare Workers or in a browser, serve ' +
    "createHttpHandler from 'mcpkit/http' as your fetch handler (see the Runtimes section of the README).",
);
