import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildWorkbench, defaultSources, demoSources, inputHash } from './build';
import { labelTexts, readLabels } from './labels';

jest.setTimeout(5 * 60 * 1000);

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-build-'));
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const file = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

test('a second build of the same sources reuses the first', async () => {
  const first = await buildWorkbench({ sources: demoSources() });
  const second = await buildWorkbench({ sources: demoSources() });
  expect(second.cached).toBe(true);
  expect(second.dir).toBe(first.dir);
  expect(second.components).toEqual(first.components);
  expect(second.components).toContain('c/workbenchDemo');
  expect(fs.existsSync(path.join(second.dir, 'app.js'))).toBe(true);
  // Icons and components load on demand, as separate chunks.
  expect(fs.readdirSync(path.join(second.dir, 'chunks')).length).toBeGreaterThan(1);
});

test('the cache key follows the component sources', () => {
  const componentDir = path.join(tmp, 'lwc');
  const file = write('lwc/probe/probe.js', 'export default 1;\n');
  const sources = { ...defaultSources(), componentDirs: [componentDir] };
  const before = inputHash(sources, 'production');
  expect(inputHash(sources, 'production')).toBe(before);
  expect(inputHash(sources, 'development')).not.toBe(before);
  fs.writeFileSync(file, 'export default 2;\n');
  expect(inputHash(sources, 'production')).not.toBe(before);
});

test('a component that imports an unknown label fails the build, naming the label and the file', async () => {
  write(
    'lwc/badLabel/badLabel.js',
    "import { LightningElement } from 'lwc';\nimport MISSING from '@salesforce/label/c.Missing_Label';\n" +
      'export default class BadLabel extends LightningElement { label = MISSING; }\n'
  );
  write('lwc/badLabel/badLabel.html', '<template>{label}</template>\n');
  await expect(
    buildWorkbench({
      buildRoot: path.join(tmp, 'build'),
      sources: { componentDirs: [path.join(tmp, 'lwc')], labelDirs: [], translationDirs: [] }
    })
  ).rejects.toThrow(/Unknown custom label c\.Missing_Label \(imported by .*badLabel\.js\)/);
  expect(fs.readdirSync(path.join(tmp, 'build'))).toEqual([]);
});

test('labels come from the metadata files, with Dutch from the translation and English as fallback', () => {
  write(
    'labels/CustomLabels.labels-meta.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<CustomLabels xmlns="http://soap.sforce.com/2006/04/metadata">
  <labels><fullName>A_Title</fullName><language>en_US</language><protected>false</protected><shortDescription>t</shortDescription><value>Score</value></labels>
  <labels><fullName>B_Only_English</fullName><language>en_US</language><protected>false</protected><shortDescription>t</shortDescription><value>Only in English</value></labels>
</CustomLabels>`
  );
  write(
    'translations/nl_NL.translation-meta.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<Translations xmlns="http://soap.sforce.com/2006/04/metadata">
  <customLabels><label>Score (NL)</label><name>A_Title</name></customLabels>
</Translations>`
  );
  const labels = readLabels([path.join(tmp, 'labels')], [path.join(tmp, 'translations')]);
  expect(labelTexts(labels, 'en')).toEqual({ A_Title: 'Score', B_Only_English: 'Only in English' });
  expect(labelTexts(labels, 'nl')).toEqual({
    A_Title: 'Score (NL)',
    B_Only_English: 'Only in English'
  });
});

test('a translation of a label that does not exist is an error naming the file', () => {
  write('labels/CustomLabels.labels-meta.xml', '<CustomLabels></CustomLabels>');
  const file = write(
    'translations/nl_NL.translation-meta.xml',
    '<Translations><customLabels><label>x</label><name>Gone</name></customLabels></Translations>'
  );
  expect(() => readLabels([path.join(tmp, 'labels')], [path.join(tmp, 'translations')])).toThrow(
    `${file}: translation of unknown label Gone`
  );
});
