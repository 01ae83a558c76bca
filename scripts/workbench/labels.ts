import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/** A custom label with its translations by language code (`nl_NL`). */
export interface WorkbenchLabel {
  name: string;
  value: string;
  translations: Record<string, string>;
}

/** The page languages and the Salesforce language whose translations they show. */
export const PAGE_LANGUAGES = {
  en: { lang: 'en', locale: 'en-US', salesforceLanguage: 'en_US', currency: 'USD' },
  nl: { lang: 'nl', locale: 'nl-NL', salesforceLanguage: 'nl_NL', currency: 'EUR' }
} as const;

export type PageLanguage = keyof typeof PAGE_LANGUAGES;

/** Salesforce's date and time patterns for the en_US and nl_NL locales (@salesforce/i18n/dateTime.*). */
export const DATE_TIME_FORMATS: Record<PageLanguage, Record<string, string>> = {
  en: {
    'dateTime.shortDateFormat': 'M/d/yyyy',
    'dateTime.mediumDateFormat': 'MMM d, yyyy',
    'dateTime.longDateFormat': 'MMMM d, yyyy',
    'dateTime.shortTimeFormat': 'h:mm a',
    'dateTime.mediumTimeFormat': 'h:mm:ss a',
    'dateTime.shortDateTimeFormat': 'M/d/yyyy h:mm a',
    'dateTime.mediumDateTimeFormat': 'MMM d, yyyy h:mm:ss a',
    'dateTime.longDateTimeFormat': 'MMMM d, yyyy h:mm:ss a'
  },
  nl: {
    'dateTime.shortDateFormat': 'd-M-yyyy',
    'dateTime.mediumDateFormat': 'd MMM yyyy',
    'dateTime.longDateFormat': 'd MMMM yyyy',
    'dateTime.shortTimeFormat': 'HH:mm',
    'dateTime.mediumTimeFormat': 'HH:mm:ss',
    'dateTime.shortDateTimeFormat': 'd-M-yyyy HH:mm',
    'dateTime.mediumDateTimeFormat': 'd MMM yyyy HH:mm:ss',
    'dateTime.longDateTimeFormat': 'd MMMM yyyy HH:mm:ss'
  }
};

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'labels' || name === 'customLabels'
});

function filesIn(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.join(dir, f));
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/**
 * Reads custom labels (`*.labels-meta.xml`) and their translations
 * (`<lang>.translation-meta.xml`) from metadata folders in source format.
 */
export function readLabels(
  labelDirs: string[],
  translationDirs: string[]
): Map<string, WorkbenchLabel> {
  const labels = new Map<string, WorkbenchLabel>();
  for (const file of labelDirs.flatMap((dir) => filesIn(dir, '.labels-meta.xml'))) {
    const doc = parser.parse(fs.readFileSync(file, 'utf8')) as {
      CustomLabels?: { labels?: Array<Record<string, unknown>> };
    };
    for (const [index, entry] of (doc.CustomLabels?.labels ?? []).entries()) {
      const name = text(entry.fullName);
      if (!name) throw new Error(`${file}: label #${index + 1} has no <fullName>`);
      if (labels.has(name)) throw new Error(`${file}: label ${name} is defined twice`);
      labels.set(name, { name, value: text(entry.value), translations: {} });
    }
  }
  for (const file of translationDirs.flatMap((dir) => filesIn(dir, '.translation-meta.xml'))) {
    const language = path.basename(file, '.translation-meta.xml');
    const doc = parser.parse(fs.readFileSync(file, 'utf8')) as {
      Translations?: { customLabels?: Array<Record<string, unknown>> };
    };
    for (const entry of doc.Translations?.customLabels ?? []) {
      const name = text(entry.name);
      const label = labels.get(name);
      if (!label) throw new Error(`${file}: translation of unknown label ${name}`);
      label.translations[language] = text(entry.label);
    }
  }
  return labels;
}

/** The label texts a page in this language shows; untranslated labels fall back to English. */
export function labelTexts(
  labels: Map<string, WorkbenchLabel>,
  language: PageLanguage
): Record<string, string> {
  const salesforceLanguage = PAGE_LANGUAGES[language].salesforceLanguage;
  const out: Record<string, string> = {};
  for (const label of labels.values()) {
    out[label.name] = label.translations[salesforceLanguage] ?? label.value;
  }
  return out;
}
