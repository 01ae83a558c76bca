/**
 * reduceErrors: the one place that turns what LDS, GraphQL and JavaScript
 * throw into messages a user can read.
 *
 * Handles: UI API fetch-like rejections ({body: {message}} or {body: [{message}]}),
 * "Error with Output" record errors ({body: {output: {errors, fieldErrors}}}),
 * GraphQL error lists ([{message, locations, path}]), JavaScript Errors and strings.
 * @param {unknown} errors one error or a list of them
 * @returns {string[]} distinct, non-empty messages
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  const messages = [];
  for (const error of list) messages.push(...messagesOf(error));
  return [...new Set(messages.filter((m) => typeof m === 'string' && m.trim() !== ''))];
}

function messagesOf(error) {
  if (error === null || error === undefined) return [];
  if (typeof error === 'string') return [error];
  if (typeof error !== 'object') return [String(error)];
  const body = error.body;
  if (Array.isArray(body)) return body.map((e) => e && e.message);
  if (body && typeof body === 'object') {
    const out = [];
    const output = body.output;
    if (output) {
      for (const e of output.errors || []) out.push(e.message);
      for (const fieldErrors of Object.values(output.fieldErrors || {})) {
        for (const e of fieldErrors || []) out.push(e.message);
      }
    }
    if (out.length > 0) return out;
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      return body.errors.map((e) => e && e.message);
    }
    if (typeof body.message === 'string') return [body.message];
  }
  if (typeof error.message === 'string') return [error.message];
  if (typeof error.statusText === 'string') return [error.statusText];
  return [];
}
