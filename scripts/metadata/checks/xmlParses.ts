import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, xmlProblem } from '../xml';
import { rel, type Finding } from './project';

/** The folders whose XML is metadata: the package and the unpackaged grants. */
export const METADATA_DIRS = ['force-app', 'config/unpackaged'];

/** Every XML file under force-app and config/unpackaged is well formed. */
export function checkXmlParses(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const dir of METADATA_DIRS) {
    for (const file of listFiles(path.join(root, dir), '.xml')) {
      const problem = xmlProblem(fs.readFileSync(file, 'utf8'));
      if (problem) findings.push({ file: rel(root, file), message: problem });
    }
  }
  return findings;
}
