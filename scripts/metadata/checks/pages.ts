import * as fs from 'node:fs';
import * as path from 'node:path';
import { findField, findObject, PATHS } from '../forceApp';
import type { ObjectDef } from '../types';
import { bool, listFiles, many, text, texts, type XmlNode } from '../xml';
import { isFinding, rel, schemaOrFinding, tryRead, type Finding } from './project';

/** The Lightning page types and the component target each needs. */
const PAGE_TARGETS: Record<string, string> = {
  RecordPage: 'lightning__RecordPage',
  AppPage: 'lightning__AppPage',
  HomePage: 'lightning__HomePage'
};

/**
 * What users meet: Lightning pages place components that exist, are exposed and target the
 * page (and its object); page layouts place fields that exist, keep computed fields read-only,
 * and every custom field a layout shows has help text; the app lists tabs that exist, and
 * object tabs belong to objects that exist.
 */
export function checkPages(root: string): Finding[] {
  const base = path.join(root, PATHS.packaged);
  const schema = schemaOrFinding(root);
  if (isFinding(schema)) return [schema];
  const findings: Finding[] = [];

  for (const file of listFiles(path.join(base, 'flexipages'), '.flexipage-meta.xml')) {
    const xml = tryRead(file, 'FlexiPage');
    if (!xml) continue;
    const shown = rel(root, file);
    const pageType = text(xml, 'type') ?? '';
    const objectName = text(xml, 'sobjectType');
    if (objectName && !findObject(schema, objectName)) {
      findings.push({ file: shown, message: `page for ${objectName}, which is not in the schema` });
    }
    for (const name of pageComponents(xml)) {
      const problem = componentProblem(base, name, pageType, objectName);
      if (problem) findings.push({ file: shown, message: `component ${name}: ${problem}` });
    }
  }

  for (const file of listFiles(path.join(base, 'layouts'), '.layout-meta.xml')) {
    const xml = tryRead(file, 'Layout');
    if (!xml) continue;
    const shown = rel(root, file);
    const objectName = path.basename(file, '.layout-meta.xml').split('-')[0] ?? '';
    const obj = findObject(schema, objectName === 'Activity' ? 'Task' : objectName);
    if (!obj) {
      findings.push({
        file: shown,
        message: `layout for ${objectName}, which is not in the schema`
      });
      continue;
    }
    findings.push(...layoutProblems(obj, xml, shown));
  }

  const tabsDir = path.join(base, 'tabs');
  const tabs = new Set<string>();
  for (const file of listFiles(tabsDir, '.tab-meta.xml')) {
    const name = path.basename(file, '.tab-meta.xml');
    tabs.add(name);
    const xml = tryRead(file, 'CustomTab');
    if (xml && bool(xml, 'customObject') === true && !findObject(schema, name)) {
      findings.push({
        file: rel(root, file),
        message: `tab for object ${name}, which does not exist`
      });
    }
  }
  for (const file of listFiles(path.join(base, 'applications'), '.app-meta.xml')) {
    const xml = tryRead(file, 'CustomApplication');
    if (!xml) continue;
    for (const tab of texts(xml, 'tabs')) {
      if (!tab.startsWith('standard-') && !tabs.has(tab)) {
        findings.push({ file: rel(root, file), message: `lists tab ${tab}, which does not exist` });
      }
    }
  }
  return findings;
}

/** Component names a page places (`c:name` or a bare name for the project's own). */
function pageComponents(xml: XmlNode): string[] {
  return many(xml.flexiPageRegions)
    .flatMap((region) => many(region.itemInstances))
    .map((item) => text((item.componentInstance ?? {}) as XmlNode, 'componentName') ?? '')
    .filter((name) => name !== '');
}

function componentProblem(
  base: string,
  componentName: string,
  pageType: string,
  objectName: string | undefined
): string | undefined {
  // Platform components (force:, flexipage:, runtime_...) are not in the project.
  const own = componentName.startsWith('c:') ? componentName.slice(2) : componentName;
  if (own.includes(':') || own.includes('__')) return undefined;
  const metaFile = path.join(base, 'lwc', own, `${own}.js-meta.xml`);
  if (!fs.existsSync(metaFile)) return 'no such component in force-app/main/default/lwc';
  const meta = tryRead(metaFile, 'LightningComponentBundle');
  if (!meta) return undefined;
  if (bool(meta, 'isExposed') !== true) return 'not exposed (isExposed is not true)';
  const target = PAGE_TARGETS[pageType];
  if (!target) return undefined;
  const targets = texts((meta.targets ?? {}) as XmlNode, 'target');
  if (!targets.includes(target)) return `does not target ${target}`;
  if (!objectName) return undefined;
  const config = many((meta.targetConfigs ?? {}) as XmlNode)
    .flatMap((c) => many(c.targetConfig))
    .find((c) =>
      String(c['@_targets'] ?? '')
        .split(',')
        .map((t) => t.trim())
        .includes(target)
    );
  const objects = texts((config?.objects ?? {}) as XmlNode, 'object');
  if (objects.length > 0 && !objects.includes(objectName)) {
    return `its ${target} target lists ${objects.join(', ')}, not ${objectName}`;
  }
  return undefined;
}

function layoutProblems(obj: ObjectDef, xml: XmlNode, file: string): Finding[] {
  const findings: Finding[] = [];
  const items = many(xml.layoutSections)
    .flatMap((s) => many(s.layoutColumns))
    .flatMap((c) => many(c.layoutItems));
  for (const item of items) {
    const name = text(item, 'field');
    if (!name) continue;
    const field = findField(obj, name);
    if (!field) {
      findings.push({ file, message: `places ${obj.name}.${name}, which does not exist` });
      continue;
    }
    const behavior = text(item, 'behavior') ?? 'Edit';
    const computed = field.formula !== undefined || field.type === 'AutoNumber' || field.system;
    if (computed && behavior !== 'Readonly') {
      findings.push({
        file,
        message: `${obj.name}.${name} is computed and must be Readonly, not ${behavior}`
      });
    }
    if (name.endsWith('__c') && !field.inlineHelpText?.trim()) {
      findings.push({
        file,
        message: `${obj.name}.${name} is on a layout and has no <inlineHelpText>`
      });
    }
  }
  return findings;
}
