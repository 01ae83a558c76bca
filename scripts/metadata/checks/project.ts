import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProjectSchema, PATHS } from '../forceApp';
import type { ProjectSchema } from '../types';
import { listFiles, MetadataError, readMetadataXml, type XmlNode } from '../xml';

/** One problem a check found: the file it is in (relative to the project root) and what is wrong. */
export interface Finding {
  file: string;
  message: string;
  line?: number;
}

/** A field file as written, before the schema reader interprets it. */
export interface RawField {
  file: string;
  object: string;
  name: string;
  xml: XmlNode;
}

/** An object folder as written: its object file (absent for standard objects) and its fields. */
export interface RawObject {
  name: string;
  /** The `.object-meta.xml` file, relative to the root, when there is one. */
  file?: string;
  xml?: XmlNode;
  /** `CX_...__c` or `__mdt`: an object the package defines; otherwise a standard object it extends. */
  custom: boolean;
  fields: RawField[];
}

export function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * Reads a metadata file for a check, or undefined when it does not parse (the XML check
 * reports those, so the other checks do not repeat it).
 */
export function tryRead(file: string, rootTag: string): XmlNode | undefined {
  try {
    return readMetadataXml(file, rootTag);
  } catch {
    return undefined;
  }
}

/** Object folders under force-app, each with its object file and field files. */
export function readRawObjects(root: string): RawObject[] {
  const objectsDir = path.join(root, PATHS.packaged, 'objects');
  if (!fs.existsSync(objectsDir)) return [];
  return fs
    .readdirSync(objectsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(objectsDir, name);
      const objectFile = path.join(dir, `${name}.object-meta.xml`);
      const custom = name.endsWith('__c') || name.endsWith('__mdt');
      const obj: RawObject = { name, custom, fields: [] };
      if (fs.existsSync(objectFile)) {
        obj.file = rel(root, objectFile);
        obj.xml = tryRead(objectFile, 'CustomObject');
      }
      for (const file of listFiles(path.join(dir, 'fields'), '.field-meta.xml')) {
        const xml = tryRead(file, 'CustomField');
        if (xml) {
          obj.fields.push({
            file: rel(root, file),
            object: name,
            name: path.basename(file, '.field-meta.xml'),
            xml
          });
        }
      }
      return obj;
    });
}

/** The schema, or a finding naming the file the reader could not read. */
export function schemaOrFinding(root: string): ProjectSchema | Finding {
  try {
    return loadProjectSchema(root);
  } catch (err) {
    if (err instanceof MetadataError) {
      return { file: err.file, message: `the schema cannot be read: ${err.message}` };
    }
    throw err;
  }
}

export function isFinding(value: unknown): value is Finding {
  return typeof value === 'object' && value !== null && 'message' in value && 'file' in value;
}
