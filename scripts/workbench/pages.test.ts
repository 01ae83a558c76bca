import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFlexiPages, readPropertyTypes, readQuickActions } from './pages';

const FIXTURE = path.join(__dirname, 'test-support', 'force-app');

test('a record page places custom components by top-level region, with typed design attributes', () => {
  const pages = readFlexiPages(
    path.join(FIXTURE, 'flexipages'),
    readPropertyTypes([path.join(FIXTURE, 'lwc')])
  );
  const account = pages.find((p) => p.type === 'RecordPage' && p.sobjectType === 'Account');
  // The demo sits in a tab facet of the sidebar: it belongs in the side column.
  expect(account).toMatchObject({
    name: 'Account_Record_Page',
    main: [],
    side: [{ component: 'c/workbenchDemo', props: { compact: true } }]
  });
  const home = pages.find((p) => p.type === 'AppPage');
  expect(home).toMatchObject({ name: 'Workbench_Home', label: 'Workbench Home', side: [] });
  expect(home?.main).toEqual([{ component: 'c/workbenchDemo', props: {} }]);
});

test('design attributes take the type the component declares', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-pages-'));
  try {
    fs.mkdirSync(path.join(tmp, 'lwc', 'card'), { recursive: true });
    fs.writeFileSync(
      path.join(tmp, 'lwc', 'card', 'card.js-meta.xml'),
      `<LightningComponentBundle><targetConfigs><targetConfig targets="lightning__RecordPage">
        <property name="hidden" type="Boolean" /><property name="months" type="Integer" /><property name="period" type="String" />
      </targetConfig></targetConfigs></LightningComponentBundle>`
    );
    fs.mkdirSync(path.join(tmp, 'flexipages'));
    const property = (name: string, value: string) =>
      `<componentInstanceProperties><name>${name}</name><value>${value}</value></componentInstanceProperties>`;
    fs.writeFileSync(
      path.join(tmp, 'flexipages', 'Case_Page.flexipage-meta.xml'),
      `<FlexiPage><flexiPageRegions><itemInstances><componentInstance>
        ${property('hidden', 'false')}${property('months', '12')}${property('period', 'quarter')}
        <componentName>card</componentName></componentInstance></itemInstances>
        <name>main</name><type>Region</type></flexiPageRegions>
        <masterLabel>Case</masterLabel><sobjectType>Case</sobjectType><type>RecordPage</type></FlexiPage>`
    );
    const [page] = readFlexiPages(
      path.join(tmp, 'flexipages'),
      readPropertyTypes([path.join(tmp, 'lwc')])
    );
    expect(page?.main).toEqual([
      { component: 'c/card', props: { hidden: false, months: 12, period: 'quarter' } }
    ]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('screen quick actions open their component, labelled in each language', () => {
  const actions = readQuickActions(FIXTURE);
  expect(actions.get('Account')).toEqual([
    {
      name: 'Workbench_Check',
      component: 'c/workbenchDemo',
      labels: { en_US: 'Check the workbench', nl_NL: 'Werkbank controleren' }
    }
  ]);
  expect(actions.has('Case')).toBe(false);
});
