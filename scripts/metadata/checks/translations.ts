import * as fs from 'node:fs';
import * as path from 'node:path';
import { PATHS } from '../forceApp';
import { listFiles, many, text, type XmlNode } from '../xml';
import { readRawObjects, rel, tryRead, type Finding, type RawObject } from './project';

/** The language every user-facing text must be translated into. */
export const TRANSLATION_LANGUAGE = 'nl_NL';

/**
 * Every custom label and app (translations/<lang>), and every custom object, field and picklist
 * value (objectTranslations/<Object>-<lang>) has a translation; for standard objects only the
 * package's CX_ fields. Translations of fields that do not exist fail a deploy, so they count too.
 */
export function checkTranslations(root: string, language = TRANSLATION_LANGUAGE): Finding[] {
  const base = path.join(root, PATHS.packaged);
  return [
    ...labelAndAppTranslations(root, base, language),
    ...readRawObjects(root).flatMap((obj) => objectTranslations(root, base, obj, language))
  ];
}

function labelAndAppTranslations(root: string, base: string, language: string): Finding[] {
  const labels = listFiles(path.join(base, 'labels'), '.labels-meta.xml').flatMap((file) =>
    many(tryRead(file, 'CustomLabels')?.labels).map((l) => text(l, 'fullName') ?? '')
  );
  const apps = listFiles(path.join(base, 'applications'), '.app-meta.xml').map((file) =>
    path.basename(file, '.app-meta.xml')
  );
  if (labels.length === 0 && apps.length === 0) return [];
  const file = path.join(base, 'translations', `${language}.translation-meta.xml`);
  const shown = rel(root, file);
  if (!fs.existsSync(file)) {
    return [
      {
        file: shown,
        message: `missing: ${labels.length} labels and ${apps.length} apps untranslated`
      }
    ];
  }
  const xml = tryRead(file, 'Translations');
  if (!xml) return [];
  const translated = (tag: string): Set<string> =>
    new Set(
      many(xml[tag])
        .filter((t) => text(t, 'label')?.trim())
        .map((t) => text(t, 'name') ?? '')
    );
  const labelNames = translated('customLabels');
  const appNames = translated('customApplications');
  return [
    ...labels
      .filter((l) => !labelNames.has(l))
      .map((l) => ({ file: shown, message: `custom label ${l} has no ${language} translation` })),
    ...apps
      .filter((a) => !appNames.has(a))
      .map((a) => ({ file: shown, message: `app ${a} has no ${language} translation` })),
    ...[...labelNames]
      .filter((l) => !labels.includes(l))
      .map((l) => ({ file: shown, message: `translates custom label ${l}, which does not exist` }))
  ];
}

interface FieldTranslation {
  file: string;
  label?: string;
  picklistValues: Map<string, string>;
}

function objectTranslations(
  root: string,
  base: string,
  obj: RawObject,
  language: string
): Finding[] {
  if (obj.fields.length === 0 && !obj.custom) return [];
  // Activity's custom fields are translated on Activity; Task's translation is accepted as well.
  const candidates = obj.name === 'Activity' ? ['Activity', 'Task'] : [obj.name];
  const folderName = candidates
    .map((c) => `${c}-${language}`)
    .find((f) => fs.existsSync(path.join(base, 'objectTranslations', f)));
  const folder = path.join(base, 'objectTranslations', folderName ?? `${obj.name}-${language}`);
  const shownFolder = rel(root, folder);
  if (!folderName) {
    return [{ file: shownFolder, message: `missing: ${obj.name} has no ${language} translation` }];
  }
  const findings: Finding[] = [];
  const objectFile = path.join(folder, `${folderName}.objectTranslation-meta.xml`);
  const objectXml = fs.existsSync(objectFile)
    ? tryRead(objectFile, 'CustomObjectTranslation')
    : undefined;
  const shownObjectFile = rel(root, objectFile);
  if (obj.custom) {
    const singular = many(objectXml?.caseValues).find(
      (c) => text(c, 'plural') !== 'true' && text(c, 'value')?.trim()
    );
    if (!singular) {
      findings.push({
        file: shownObjectFile,
        message: `${obj.name}: the object's label has no ${language} translation (<caseValues>)`
      });
    }
    if (obj.name.endsWith('__c') && !text(objectXml, 'nameFieldLabel')?.trim()) {
      findings.push({
        file: shownObjectFile,
        message: `${obj.name}: the name field's label has no ${language} translation (<nameFieldLabel>)`
      });
    }
  }
  // Validation messages are what users read when a save fails.
  const translatedRules = new Set(
    many(objectXml?.validationRules)
      .filter((r) => text(r, 'errorMessage')?.trim())
      .map((r) => text(r, 'name') ?? '')
  );
  const rulesDir = path.join(base, 'objects', obj.name, 'validationRules');
  for (const file of listFiles(rulesDir, '.validationRule-meta.xml')) {
    const rule = path.basename(file, '.validationRule-meta.xml');
    if (!translatedRules.has(rule)) {
      findings.push({
        file: shownObjectFile,
        message: `${obj.name}: validation rule ${rule} has no ${language} error message`
      });
    }
  }

  const translations = new Map<string, FieldTranslation>();
  for (const f of many(objectXml?.fields)) {
    translations.set(text(f, 'name') ?? '', fieldTranslation(rel(root, objectFile), f));
  }
  for (const file of listFiles(folder, '.fieldTranslation-meta.xml')) {
    const xml = tryRead(file, 'CustomFieldTranslation');
    if (!xml) continue;
    const name = text(xml, 'name') ?? path.basename(file, '.fieldTranslation-meta.xml');
    translations.set(name, fieldTranslation(rel(root, file), xml));
  }

  const fieldNames = new Set(obj.fields.map((f) => f.name));
  for (const field of obj.fields) {
    const t = translations.get(field.name);
    if (!t?.label?.trim()) {
      findings.push({
        file: t?.file ?? shownFolder,
        message: `${obj.name}.${field.name}: the field's label has no ${language} translation`
      });
    }
    const values = many(
      ((field.xml.valueSet as XmlNode | undefined)?.valueSetDefinition as XmlNode | undefined)
        ?.value
    );
    for (const value of values) {
      const name = text(value, 'fullName') ?? '';
      const label = text(value, 'label') ?? name;
      const translated = t?.picklistValues.get(name) ?? t?.picklistValues.get(label);
      if (!translated?.trim()) {
        findings.push({
          file: t?.file ?? shownFolder,
          message: `${obj.name}.${field.name}: picklist value "${name}" has no ${language} translation`
        });
      }
    }
  }
  for (const [name, t] of translations) {
    if (!fieldNames.has(name) && name.endsWith('__c')) {
      findings.push({
        file: t.file,
        message: `${obj.name}: translates field ${name}, which does not exist`
      });
    }
  }
  return findings;
}

function fieldTranslation(file: string, xml: XmlNode): FieldTranslation {
  const picklistValues = new Map<string, string>();
  for (const p of many(xml.picklistValues)) {
    picklistValues.set(text(p, 'masterLabel') ?? '', text(p, 'translation') ?? '');
  }
  return { file, label: text(xml, 'label'), picklistValues };
}
