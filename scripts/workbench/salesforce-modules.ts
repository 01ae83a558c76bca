import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plugin } from 'rollup';
import type { WorkbenchLabel } from './labels';

/** The global the page sets before the bundle runs (see platform/modules/workbench/runtime.js). */
export const CONFIG_GLOBAL = '__OUTSIDE_IN_WORKBENCH__';
export const ENTRY_ID = 'outside-in-workbench:entry';

/** @salesforce/i18n keys that follow the page's language; the rest keep the base components' values. */
export const RUNTIME_I18N_KEYS = [
  'lang',
  'locale',
  'timeZone',
  'currency',
  'dir',
  'firstDayOfWeek',
  'number.decimalSeparator',
  'number.groupingSeparator',
  'number.currencySymbol',
  'dateTime.shortDateFormat',
  'dateTime.mediumDateFormat',
  'dateTime.longDateFormat',
  'dateTime.shortTimeFormat',
  'dateTime.mediumTimeFormat',
  'dateTime.shortDateTimeFormat',
  'dateTime.mediumDateTimeFormat',
  'dateTime.longDateTimeFormat'
];

const VIRTUAL_PREFIX = '\0outside-in:';

function fromConfig(expression: string, fallback: unknown): string {
  return `const config = globalThis[${JSON.stringify(CONFIG_GLOBAL)}] || {};\nexport default ${expression} ?? ${JSON.stringify(fallback)};\n`;
}

export interface SalesforceModulesOptions {
  /** Custom labels by name (English values are the fallback when the page has no text). */
  labels: Map<string, WorkbenchLabel>;
  /** Message channel names as imported (`Perception_Captured__c`). */
  messageChannels: Set<string>;
  /** Component specifiers (`c/experienceScorecard`) the page can mount. */
  components: string[];
}

/**
 * Rollup plugin for the `@salesforce/*` scoped modules, which on the
 * platform are generated per org: schema references, labels, i18n, the
 * user, message channels, static resource URLs. It also provides the entry
 * module, which loads synthetic shadow first and mounts the page's components.
 */
export function salesforceModules(options: SalesforceModulesOptions): Plugin {
  const sources = new Map<string, string>();

  function moduleSource(specifier: string, importer: string | undefined): string | null {
    const where = importer ? ` (imported by ${importer.replace(/\?.*$/, '')})` : '';
    const [, family, rest = ''] = /^@salesforce\/([^/]+)\/?(.*)$/.exec(specifier) ?? [];
    switch (family) {
      case 'schema': {
        const [objectApiName, ...field] = rest.split('.');
        if (!objectApiName) throw new Error(`Empty schema import ${specifier}${where}`);
        const value = field.length
          ? { objectApiName, fieldApiName: field.join('.') }
          : { objectApiName };
        return `export default ${JSON.stringify(value)};\n`;
      }
      case 'label': {
        const match = /^c\.(\w+)$/.exec(rest);
        if (!match) return null; // the base components' own labels
        const label = options.labels.get(match[1] as string);
        if (!label) throw new Error(`Unknown custom label c.${match[1]}${where}`);
        return fromConfig(`config.labels?.[${JSON.stringify(label.name)}]`, label.value);
      }
      case 'i18n':
        if (!RUNTIME_I18N_KEYS.includes(rest)) return null;
        return fromConfig(`config.i18n?.[${JSON.stringify(rest)}]`, null);
      case 'user':
        if (rest === 'Id') return fromConfig('config.userId', null);
        if (rest === 'isGuest') return 'export default false;\n';
        throw new Error(`Unsupported user import ${specifier}${where}`);
      case 'client':
        if (rest === 'formFactor') return fromConfig('config.formFactor', 'Large');
        return null;
      case 'messageChannel': {
        if (!options.messageChannels.has(rest)) {
          throw new Error(
            `Unknown message channel ${rest}${where}: no messageChannels/${rest.replace(/__c$/, '')}.messageChannel-meta.xml in force-app`
          );
        }
        return `export default Object.freeze({ channel: ${JSON.stringify(rest)} });\n`;
      }
      case 'resourceUrl':
        return `export default ${JSON.stringify(`/resource/${rest}`)};\n`;
      case 'customPermission':
      case 'userPermission':
        return fromConfig(`config.permissions?.[${JSON.stringify(rest)}]`, false);
      case 'apex':
        throw new Error(
          `${specifier}${where}: Apex does not run in the workbench; components read data through LDS`
        );
      default:
        return null;
    }
  }

  function entrySource(): string {
    const registry = options.components
      .map(
        (specifier) => `  ${JSON.stringify(specifier)}: () => import(${JSON.stringify(specifier)})`
      )
      .join(',\n');
    return [
      "import '@lwc/synthetic-shadow';",
      "import { createElement } from 'lwc';",
      "import { start } from 'workbench/container';",
      `const components = {\n${registry}\n};`,
      'start({ createElement, components });',
      ''
    ].join('\n');
  }

  return {
    name: 'outside-in-salesforce-modules',
    resolveId(source, importer) {
      if (source === ENTRY_ID) return VIRTUAL_PREFIX + ENTRY_ID;
      if (!source.startsWith('@salesforce/')) return null;
      let code: string | null;
      try {
        code = moduleSource(source, importer);
      } catch (err) {
        this.error(err instanceof Error ? err.message : String(err));
      }
      if (code === null) return null;
      sources.set(VIRTUAL_PREFIX + source, code);
      return VIRTUAL_PREFIX + source;
    },
    load(id) {
      if (id === VIRTUAL_PREFIX + ENTRY_ID) return entrySource();
      return sources.get(id) ?? null;
    }
  };
}

/** Message channel names as components import them, from force-app/main/default/messageChannels. */
export function readMessageChannels(dir: string): Set<string> {
  const names = new Set<string>();
  if (!fs.existsSync(dir)) return names;
  for (const file of fs.readdirSync(dir)) {
    const match = /^(.+)\.messageChannel-meta\.xml$/.exec(file);
    if (match) names.add(`${match[1]}__c`);
  }
  return names;
}

export interface Bundle {
  name: string;
  dir: string;
  /** `<name>.js` (or `.ts`). */
  entry: string;
  hasTemplate: boolean;
}

/** LWC bundles in a folder: each subfolder with a `<name>.js` or `<name>.ts`. */
export function listBundles(dir: string): Bundle[] {
  if (!fs.existsSync(dir)) return [];
  const bundles: Bundle[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const entry = ['.js', '.ts']
      .map((ext) => path.join(dir, e.name, `${e.name}${ext}`))
      .find((file) => fs.existsSync(file));
    if (!entry) continue;
    const hasTemplate = fs.existsSync(path.join(dir, e.name, `${e.name}.html`));
    bundles.push({ name: e.name, dir: path.join(dir, e.name), entry, hasTemplate });
  }
  return bundles.sort((a, b) => a.name.localeCompare(b.name));
}
