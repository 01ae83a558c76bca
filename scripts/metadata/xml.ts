import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed XML element: child elements by tag, attributes as `@_name`, text as `#text`. */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Values stay strings: a label such as `007` or `true` must not turn into a number or boolean.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true
});

/** Thrown when a metadata file cannot be read; the message names the file. */
export class MetadataError extends Error {
  constructor(
    readonly file: string,
    message: string
  ) {
    super(`${file}: ${message}`);
    this.name = 'MetadataError';
  }
}

/** Checks well-formedness; returns a message naming line and column, or undefined when well formed. */
export function xmlProblem(text: string): string | undefined {
  const result = XMLValidator.validate(text);
  if (result === true) return undefined;
  const { msg, line, col } = result.err;
  return `XML does not parse: ${msg} (line ${line}, column ${col})`;
}

/**
 * Reads a metadata XML file and returns its root element (e.g. the `CustomField` element).
 * `rootTag` names the element the file must hold.
 */
export function readMetadataXml(file: string, rootTag: string, displayRoot?: string): XmlNode {
  const shown = displayRoot ? path.relative(displayRoot, file) : file;
  const text = fs.readFileSync(file, 'utf8');
  const problem = xmlProblem(text);
  if (problem) throw new MetadataError(shown, problem);
  const doc = parser.parse(text) as XmlNode;
  const root = doc[rootTag];
  if (root === undefined) {
    throw new MetadataError(shown, `expected a <${rootTag}> root element`);
  }
  // An element with no children parses to an empty string.
  return typeof root === 'object' && root !== null ? (root as XmlNode) : {};
}

/** A repeated element as an array, whether it appeared zero, one or many times. */
export function many(value: unknown): XmlNode[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === 'object' && item !== null ? (item as XmlNode) : {}));
}

/** The text of a child element (`#text` when the element carries attributes). */
export function text(node: XmlNode | undefined, tag: string): string | undefined {
  if (!node) return undefined;
  const value = node[tag];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return text({ [tag]: value[0] }, tag);
  if (typeof value === 'object') {
    const inner = (value as XmlNode)['#text'];
    return inner === undefined ? '' : String(inner);
  }
  return undefined;
}

/** Repeated text elements (e.g. several `<referenceTo>`). */
export function texts(node: XmlNode | undefined, tag: string): string[] {
  if (!node) return [];
  const value = node[tag];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => text({ [tag]: item }, tag) ?? '');
}

export function bool(node: XmlNode | undefined, tag: string): boolean | undefined {
  const value = text(node, tag);
  if (value === undefined) return undefined;
  return value.trim().toLowerCase() === 'true';
}

export function num(node: XmlNode | undefined, tag: string): number | undefined {
  const value = text(node, tag);
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Files under `dir` (recursively) whose names end with `suffix`, sorted; none when `dir` is missing. */
export function listFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith(suffix)) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out.sort();
}
