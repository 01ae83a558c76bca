import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/** A component on a page, with its design attribute values. */
export interface Placement {
  /** Specifier, `c/experienceScorecard`. */
  component: string;
  props?: Record<string, unknown>;
}

/** A Lightning page as the workbench lays it out: a main column and a side column. */
export interface FlexiPageLayout {
  /** The flexipage's API name. */
  name: string;
  label: string;
  type: 'RecordPage' | 'AppPage' | 'HomePage';
  sobjectType?: string;
  main: Placement[];
  side: Placement[];
}

/** A screen quick action that opens a Lightning web component. */
export interface QuickActionDef {
  name: string;
  component: string;
  /** The label by Salesforce language; `en_US` always present. */
  labels: Record<string, string>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  trimValues: true,
  isArray: (name) =>
    [
      'flexiPageRegions',
      'itemInstances',
      'componentInstanceProperties',
      'targetConfig',
      'property',
      'quickActions'
    ].includes(name)
});

type Xml = Record<string, unknown>;

function list(value: unknown): Xml[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Xml[];
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** Design attribute types by component and property, from each bundle's js-meta.xml. */
export function readPropertyTypes(componentDirs: string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const dir of componentDirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const meta = path.join(dir, name, `${name}.js-meta.xml`);
      if (!fs.existsSync(meta)) continue;
      const doc = parser.parse(fs.readFileSync(meta, 'utf8')) as Xml;
      const bundle = (doc.LightningComponentBundle ?? {}) as Xml;
      const types = new Map<string, string>();
      const configs = (bundle.targetConfigs ?? {}) as Xml;
      for (const config of list(configs.targetConfig)) {
        for (const property of list(config.property))
          types.set(text(property.name), text(property.type));
      }
      out.set(name, types);
    }
  }
  return out;
}

/** Design attribute values are strings in the flexipage; the component gets them typed. */
function typedValue(value: string, type: string | undefined): unknown {
  if (type === 'Boolean') return value === 'true';
  if (type === 'Integer') return Number(value);
  return value;
}

/**
 * Reads the Lightning pages in force-app (flexipages/*.flexipage-meta.xml)
 * and places each custom component in the column of the top-level region
 * that holds it: `sidebar` on the side, everything else (header, main, and
 * tabs' facets) in the main column, in document order. Standard components
 * (`force:`, `flexipage:`) have no stand-in and are left out.
 */
export function readFlexiPages(
  flexipageDir: string,
  propertyTypes: Map<string, Map<string, string>>
): FlexiPageLayout[] {
  if (!fs.existsSync(flexipageDir)) return [];
  const pages: FlexiPageLayout[] = [];
  for (const file of fs.readdirSync(flexipageDir).sort()) {
    if (!file.endsWith('.flexipage-meta.xml')) continue;
    const where = path.join(flexipageDir, file);
    const doc = parser.parse(fs.readFileSync(where, 'utf8')) as Xml;
    const page = doc.FlexiPage as Xml | undefined;
    if (!page) throw new Error(`${where}: not a FlexiPage`);
    const type = text(page.type);
    if (type !== 'RecordPage' && type !== 'AppPage' && type !== 'HomePage') continue;
    const regions = list(page.flexiPageRegions);
    const regionNames = new Set(regions.map((r) => text(r.name)));
    // A facet belongs to the region whose component names it in a property (a tab's body).
    const parentOf = new Map<string, string>();
    for (const region of regions) {
      for (const item of list(region.itemInstances)) {
        const instance = (item.componentInstance ?? {}) as Xml;
        for (const property of list(instance.componentInstanceProperties)) {
          const value = text(property.value);
          if (regionNames.has(value)) parentOf.set(value, text(region.name));
        }
      }
    }
    const topRegion = (name: string): string => {
      let current = name;
      for (let i = 0; i < 20 && parentOf.has(current); i++)
        current = parentOf.get(current) as string;
      return current;
    };
    const layout: FlexiPageLayout = {
      name: file.replace(/\.flexipage-meta\.xml$/, ''),
      label: text(page.masterLabel),
      type,
      sobjectType: page.sobjectType ? text(page.sobjectType) : undefined,
      main: [],
      side: []
    };
    for (const region of regions) {
      const column = topRegion(text(region.name)) === 'sidebar' ? layout.side : layout.main;
      for (const item of list(region.itemInstances)) {
        const instance = item.componentInstance as Xml | undefined;
        if (!instance) continue;
        const componentName = text(instance.componentName);
        const name = componentName.startsWith('c:') ? componentName.slice(2) : componentName;
        if (name.includes(':')) continue;
        const types = propertyTypes.get(name);
        const props: Record<string, unknown> = {};
        for (const property of list(instance.componentInstanceProperties)) {
          props[text(property.name)] = typedValue(
            text(property.value),
            types?.get(text(property.name))
          );
        }
        column.push({ component: `c/${name}`, props });
      }
    }
    pages.push(layout);
  }
  return pages;
}

/**
 * Screen quick actions that open a Lightning web component, by object, from
 * quickActions/<Object>.<Name>.quickAction-meta.xml, with their Dutch labels
 * from objectTranslations where present.
 */
export function readQuickActions(forceAppDir: string): Map<string, QuickActionDef[]> {
  const out = new Map<string, QuickActionDef[]>();
  const dir = path.join(forceAppDir, 'quickActions');
  if (!fs.existsSync(dir)) return out;
  for (const file of fs.readdirSync(dir).sort()) {
    const match = /^(\w+)\.(\w+)\.quickAction-meta\.xml$/.exec(file);
    if (!match) continue;
    const [, objectApiName, name] = match as unknown as [string, string, string];
    const doc = parser.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Xml;
    const action = (doc.QuickAction ?? {}) as Xml;
    const component = text(action.lightningWebComponent);
    if (!component) continue;
    const labels: Record<string, string> = { en_US: text(action.label) || name };
    const translationsDir = path.join(forceAppDir, 'objectTranslations');
    if (fs.existsSync(translationsDir)) {
      for (const folder of fs.readdirSync(translationsDir)) {
        const lang = new RegExp(`^${objectApiName}-(\\w+)$`).exec(folder)?.[1];
        const translation = path.join(
          translationsDir,
          folder,
          `${folder}.objectTranslation-meta.xml`
        );
        if (!lang || !fs.existsSync(translation)) continue;
        const tdoc = parser.parse(fs.readFileSync(translation, 'utf8')) as Xml;
        const entry = list(((tdoc.CustomObjectTranslation ?? {}) as Xml).quickActions).find(
          (q) => text(q.name) === name
        );
        if (entry && text(entry.label)) labels[lang] = text(entry.label);
      }
    }
    const actions = out.get(objectApiName) ?? [];
    actions.push({ name, component: `c/${component}`, labels });
    out.set(objectApiName, actions);
  }
  return out;
}
