import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { rel, type Finding } from './project';
import { METADATA_DIRS } from './xmlParses';

/**
 * Loads force-app and config/unpackaged with @salesforce/source-deploy-retrieve (the library
 * behind `sf project deploy`): a file of no known type fails here instead of at deploy time.
 * Lightning web component bundles must also carry their `.js-meta.xml`, which the library
 * itself does not require.
 */
export function checkSourceLoads(projectRoot: string): {
  components?: ComponentSet;
  findings: Finding[];
} {
  const root = path.resolve(projectRoot);
  const dirs = METADATA_DIRS.map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  if (dirs.length === 0)
    return { findings: [{ file: 'force-app', message: 'no force-app folder' }] };
  let components: ComponentSet;
  try {
    components = ComponentSet.fromSource(dirs);
  } catch (err) {
    return {
      findings: [
        { file: fileOf(root, err), message: `source does not load: ${messageOf(root, err)}` }
      ]
    };
  }
  const findings: Finding[] = [];
  for (const component of components.getSourceComponents()) {
    if (component.type.name === 'LightningComponentBundle' && component.content) {
      const meta = path.join(component.content, `${component.name}.js-meta.xml`);
      if (!fs.existsSync(meta)) {
        findings.push({
          file: rel(root, component.content),
          message: `the component bundle ${component.name} has no ${component.name}.js-meta.xml`
        });
      }
    }
  }
  return { components, findings };
}

/**
 * Loads the source (see `checkSourceLoads`) and converts it to Metadata API format in a
 * temporary folder, as a deploy or a package version would: a bundle the library cannot
 * assemble fails here.
 */
export async function checkSourceConverts(projectRoot: string): Promise<Finding[]> {
  const root = path.resolve(projectRoot);
  const { components, findings } = checkSourceLoads(root);
  if (!components) return findings;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-in-convert-'));
  try {
    await new MetadataConverter().convert(components, 'metadata', {
      type: 'directory',
      outputDirectory: out,
      genUniqueDir: false
    });
    if (!fs.existsSync(path.join(out, 'package.xml'))) {
      findings.push({ file: 'force-app', message: 'conversion wrote no package.xml' });
    }
  } catch (err) {
    findings.push({
      file: fileOf(root, err),
      message: `does not convert: ${messageOf(root, err)}`
    });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  return findings;
}
/** The library's message, with paths shown relative to the project. */
function messageOf(root: string, err: unknown): string {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return message.split(`${root}${path.sep}`).join('');
}

/** The library names the offending file at the start of its message when it can. */
function fileOf(root: string, err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const match = /(\/[^\s:]+)/.exec(message);
  if (match?.[1] && match[1].startsWith(root)) return rel(root, match[1]);
  return 'force-app';
}
