import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { listFiles, xmlProblem } from '../xml';
import { rel, type Finding } from './project';

/** The folders whose XML is metadata: the package and the unpackaged grants. */
export const METADATA_DIRS = ['force-app', 'config/unpackaged'];

const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/** The root element each source file suffix holds. */
const ROOT_BY_SUFFIX: Record<string, string> = {
  '.object-meta.xml': 'CustomObject',
  '.field-meta.xml': 'CustomField',
  '.validationRule-meta.xml': 'ValidationRule',
  '.listView-meta.xml': 'ListView',
  '.permissionset-meta.xml': 'PermissionSet',
  '.labels-meta.xml': 'CustomLabels',
  '.translation-meta.xml': 'Translations',
  '.objectTranslation-meta.xml': 'CustomObjectTranslation',
  '.fieldTranslation-meta.xml': 'CustomFieldTranslation',
  '.md-meta.xml': 'CustomMetadata',
  '.layout-meta.xml': 'Layout',
  '.flexipage-meta.xml': 'FlexiPage',
  '.tab-meta.xml': 'CustomTab',
  '.app-meta.xml': 'CustomApplication',
  '.reportType-meta.xml': 'ReportType',
  '.report-meta.xml': 'Report',
  '.reportFolder-meta.xml': 'ReportFolder',
  '.dashboard-meta.xml': 'Dashboard',
  '.dashboardFolder-meta.xml': 'DashboardFolder',
  '.js-meta.xml': 'LightningComponentBundle'
};

const rootParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/**
 * Every XML file under force-app and config/unpackaged is well formed, and a metadata file's
 * root element is the one its suffix names, in the Metadata API namespace.
 */
export function checkXmlParses(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const dir of METADATA_DIRS) {
    for (const file of listFiles(path.join(root, dir), '.xml')) {
      const shown = rel(root, file);
      const source = fs.readFileSync(file, 'utf8');
      const problem = xmlProblem(source);
      if (problem) {
        findings.push({ file: shown, message: problem });
        continue;
      }
      const suffix = Object.keys(ROOT_BY_SUFFIX)
        .filter((s) => path.basename(file).endsWith(s))
        .sort((a, b) => b.length - a.length)[0];
      if (!suffix) continue;
      const expected = ROOT_BY_SUFFIX[suffix] ?? '';
      const doc = rootParser.parse(source) as Record<string, unknown>;
      const rootTag = Object.keys(doc).find((k) => k !== '?xml');
      if (rootTag !== expected) {
        findings.push({
          file: shown,
          message: `a ${suffix} file holds <${expected}>, not <${rootTag ?? ''}>`
        });
        continue;
      }
      const element = doc[rootTag] as Record<string, unknown> | string;
      const xmlns = typeof element === 'object' ? element['@_xmlns'] : undefined;
      if (xmlns !== METADATA_NAMESPACE) {
        findings.push({
          file: shown,
          message: `<${rootTag}> needs xmlns="${METADATA_NAMESPACE}"`
        });
      }
    }
  }
  return findings;
}
