/** The Workers entry point: a module whose default export has `fetch`. */
import { route } from './app.ts';

export default { fetch: (request: Request): Promise<Response> => route(request) };
