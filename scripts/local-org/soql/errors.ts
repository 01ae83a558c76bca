/**
 * SOQL error messages in an org's shape: the query line, a caret under the
 * offending token, its row and column, then the text.
 */
import { SfError } from '../errors';

/** Finds a token in the query: whole-word, case-insensitive, first hit after `from`. */
export function locate(soql: string, token: string, from = 0): number {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^A-Za-z0-9_.])(${escaped})(?![A-Za-z0-9_])`, 'gi');
  re.lastIndex = from;
  const m = re.exec(soql);
  if (!m) return -1;
  return m.index + (m[1]?.length ?? 0);
}

export function caretMessage(soql: string, index: number, text: string): string {
  if (index < 0) return text;
  const before = soql.slice(0, index);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', index);
  const line = soql.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const col = index - lineStart;
  // Long lines show a window of about 30 characters before the token.
  const windowStart = line.length > 100 && col > 30 ? col - 30 : 0;
  const excerpt = line.slice(windowStart, windowStart + 100);
  return `\n${excerpt}\n${' '.repeat(col - windowStart)}^\nERROR at Row:${row}:Column:${col + 1}\n${text}`;
}

export function invalidField(soql: string, token: string, objectName: string): SfError {
  return new SfError(
    'INVALID_FIELD',
    caretMessage(
      soql,
      locate(soql, token),
      `No such column '${token.split('.').pop()}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
    )
  );
}

export function invalidRelationship(soql: string, token: string, rel: string): SfError {
  return new SfError(
    'INVALID_FIELD',
    caretMessage(
      soql,
      locate(soql, token),
      `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
    )
  );
}

export function invalidType(soql: string, name: string): SfError {
  const fromAt = locate(soql, 'FROM');
  return new SfError(
    'INVALID_TYPE',
    caretMessage(
      soql,
      locate(soql, name, fromAt < 0 ? 0 : fromAt),
      `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
    )
  );
}

export function malformed(soql: string, token: string | undefined, text: string): SfError {
  const index = token === undefined ? -1 : locate(soql, token);
  return new SfError('MALFORMED_QUERY', caretMessage(soql, index, text));
}

/** Turns a soql-parser-js syntax error into MALFORMED_QUERY. */
export function parseError(soql: string, err: unknown): SfError {
  const msg = err instanceof Error ? err.message : String(err);
  const first = /^\s*(\S+)/.exec(soql)?.[1] ?? '';
  if (first.toUpperCase() !== 'SELECT') {
    return new SfError('MALFORMED_QUERY', `unexpected token: ${first}`);
  }
  const found = /but found:? -*>? ?'([^']*)'/.exec(msg)?.[1];
  if (!found) {
    return new SfError(
      'MALFORMED_QUERY',
      caretMessage(soql, soql.length, 'unexpected token: <EOF>')
    );
  }
  const index = locate(soql, found, first.length);
  return new SfError(
    'MALFORMED_QUERY',
    caretMessage(soql, index < 0 ? soql.indexOf(found) : index, `unexpected token: '${found}'`)
  );
}
