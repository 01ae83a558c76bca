import { text } from '../xml';
import { readRawObjects, type Finding } from './project';

/** Every custom object and every field the package defines says what it is for. */
export function checkDescriptions(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const obj of readRawObjects(root)) {
    if (obj.custom && obj.file && obj.xml && !text(obj.xml, 'description')?.trim()) {
      findings.push({ file: obj.file, message: `${obj.name} has no <description>` });
    }
    for (const field of obj.fields) {
      if (!text(field.xml, 'description')?.trim()) {
        findings.push({
          file: field.file,
          message: `${obj.name}.${field.name} has no <description>`
        });
      }
    }
  }
  return findings;
}
