import * as path from 'node:path';
import { main } from '../cli/main';
import { CHECKS, formatFindings, runChecks } from './checks';
import { checkDescriptions } from './checks/descriptions';
import { checkFieldReferences, parseGraphqlSelections } from './checks/fieldReferences';
import { checkFieldRules } from './checks/fieldRules';
import { checkPages } from './checks/pages';
import { checkPermissions } from './checks/permissions';
import { checkReports } from './checks/reports';
import { checkSampleData } from './checks/sampleData';
import type { Persona } from './checks/personas';
import type { Finding } from './checks/project';
import { checkSourceConverts, checkSourceLoads } from './checks/sourceConverts';
import { checkTranslations } from './checks/translations';
import { checkXmlParses } from './checks/xmlParses';

const fixtures = path.join(__dirname, 'fixtures');
const broken = (name: string): string => path.join(fixtures, 'broken', name);
const good = path.join(fixtures, 'project');

/** Findings as `file | message` lines, sorted, so a test states exactly what is reported. */
function lines(findings: Finding[]): string[] {
  return findings.map((f) => `${f.file}${f.line ? `:${f.line}` : ''} | ${f.message}`).sort();
}

const OBJECTS = 'force-app/main/default/objects';

/** A rep persona sized to the fixtures. */
function repPersona(objects: Persona['objects'], noDestructive: string[]): Persona[] {
  return [
    {
      name: 'Rep',
      packaged: 'Outside_In_Rep',
      unpackaged: 'Outside_In_Rep_Grants',
      objects,
      standardFields: [{ object: 'Account', access: 'read' }],
      userPermissions: ['ApiEnabled'],
      noDestructiveAccess: noDestructive
    }
  ];
}

describe('the fixture project, correct in every respect', () => {
  it.each([
    ['xml', checkXmlParses],
    ['field-rules', checkFieldRules],
    ['descriptions', checkDescriptions],
    ['translations', (root: string) => checkTranslations(root)],
    ['field-references', checkFieldReferences]
  ])('passes %s', (_name, check) => {
    expect(check(good)).toEqual([]);
  });

  it('passes permissions for a persona whose needs its sets meet', () => {
    const personas = repPersona(
      [
        { object: 'CX_Touchpoint__c', access: ['read'] },
        { object: 'CX_Perception__c', access: ['create', 'read'] }
      ],
      ['CX_Touchpoint__c', 'CX_Journey__c']
    );
    expect(checkPermissions(good, personas)).toEqual([]);
  });
});

describe('each check fails on its broken fixture', () => {
  it('xml: malformed files, wrong root elements, missing namespace', () => {
    const thing = `${OBJECTS}/CX_Thing__c`;
    expect(lines(checkXmlParses(broken('xml')))).toEqual([
      `${thing}/CX_Thing__c.object-meta.xml | XML does not parse: Expected closing tag 'sharingModel' (opened in line 6, col 5) instead of closing tag 'CustomObject'. (line 7, column 1)`,
      `${thing}/fields/No_Namespace__c.field-meta.xml | <CustomField> needs xmlns="http://soap.sforce.com/2006/04/metadata"`,
      `${thing}/fields/Wrong_Root__c.field-meta.xml | a .field-meta.xml file holds <CustomField>, not <CustomObject>`
    ]);
  });

  it('convert: a file of no metadata type stops source-deploy-retrieve', async () => {
    expect(lines(await checkSourceConverts(broken('convert')))).toEqual([
      'force-app/main/default/widgets/Dial.widget-meta.xml | source does not load: TypeInferenceError: force-app/main/default/widgets/Dial.widget-meta.xml: Could not infer a metadata type'
    ]);
  });

  it('convert: a component bundle without its .js-meta.xml', () => {
    // Loading finds it; the one conversion of the run is the real project's.
    expect(lines(checkSourceLoads(broken('convert-bundle')).findings)).toEqual([
      'force-app/main/default/lwc/scoreBadge | the component bundle scoreBadge has no scoreBadge.js-meta.xml'
    ]);
  });

  it('field-rules: types, attributes, external Id, unique, master-detail and naming', () => {
    const b = `${OBJECTS}/CX_Broken__c`;
    const f = (field: string, message: string): string =>
      `${b}/fields/${field}.field-meta.xml | CX_Broken__c.${field}: ${message}`;
    expect(lines(checkFieldRules(broken('field-rules')))).toEqual(
      [
        `${OBJECTS}/Account/fields/Score__c.field-meta.xml | Account.Score__c: fields on standard objects start with CX_`,
        `${b}/CX_Broken__c.object-meta.xml | CX_Broken__c: 3 master-detail fields; an object has at most 2`,
        `${b}/CX_Broken__c.object-meta.xml | CX_Broken__c: a master-detail child's sharingModel must be ControlledByParent, not "ReadWrite"`,
        f('Channels__c', 'picklist value "web" appears twice'),
        f('Channels__c', 'a MultiselectPicklist needs <visibleLines>'),
        f('Code__c', 'type "Txt" is not a Metadata API field type'),
        f('CX_Prefixed__c', "fields on the package's own objects carry no CX_ prefix"),
        f('Flag__c', 'a Checkbox needs <defaultValue> true or false'),
        f(
          'Flag__c',
          'External ID is only allowed on Text, Number, Email, AutoNumber, not Checkbox'
        ),
        f('Huge__c', 'precision 20 and scale 2 must satisfy 0 <= scale <= precision <= 18'),
        f('Kind__c', 'needs a <valueSet>'),
        f('No_Length__c', 'needs a <length>'),
        f('No_Precision__c', 'needs <precision> and <scale>'),
        f('Notes__c', 'needs <visibleLines>'),
        f('Owner_Ref__c', 'a Lookup needs <deleteConstraint>'),
        f('Parent_A__c', 'a MasterDetail field takes no <required>'),
        f('Parent_B__c', 'a MasterDetail field takes no <deleteConstraint>'),
        f('Parent_C__c', 'needs a <relationshipName>'),
        f(
          'Ratio__c',
          "a formula's return type must be one of Checkbox, Currency, Date, DateTime, Number, Percent, Text, Time, not LongTextArea"
        ),
        f('Scale_Over__c', 'precision 3 and scale 5 must satisfy 0 <= scale <= precision <= 18'),
        f('Too_Long__c', 'length 300 must be between 1 and 255'),
        f('Unique_Area__c', 'unique is only allowed on Text, Number, Email, not TextArea'),
        `${OBJECTS}/CX_Option__mdt/fields/Approver__c.field-meta.xml | CX_Option__mdt.Approver__c: a custom metadata type cannot have a Lookup field`
      ].sort()
    );
  });

  it('descriptions: objects and fields without one, blank counts as none', () => {
    expect(lines(checkDescriptions(broken('descriptions')))).toEqual([
      `${OBJECTS}/CX_Quiet__c/CX_Quiet__c.object-meta.xml | CX_Quiet__c has no <description>`,
      `${OBJECTS}/CX_Quiet__c/fields/Mute__c.field-meta.xml | CX_Quiet__c.Mute__c has no <description>`,
      `${OBJECTS}/Contact/fields/CX_Hush__c.field-meta.xml | Contact.CX_Hush__c has no <description>`
    ]);
  });

  it('translations: labels, app, objects, fields and picklist values without Dutch', () => {
    const t = 'force-app/main/default/objectTranslations';
    const labels = 'force-app/main/default/translations/nl_NL.translation-meta.xml';
    const said = `${t}/CX_Said__c-nl_NL/CX_Said__c-nl_NL.objectTranslation-meta.xml`;
    expect(lines(checkTranslations(broken('translations')))).toEqual(
      [
        `${labels} | custom label CX_Cancel has no nl_NL translation`,
        `${labels} | app Outside_In has no nl_NL translation`,
        `${labels} | translates custom label CX_Old, which does not exist`,
        `${t}/Account-nl_NL | missing: Account has no nl_NL translation`,
        `${t}/CX_Said__c-nl_NL/Channel__c.fieldTranslation-meta.xml | CX_Said__c.Channel__c: picklist value "Field visit" has no nl_NL translation`,
        `${t}/CX_Said__c-nl_NL | CX_Said__c.Untold__c: the field's label has no nl_NL translation`,
        `${t}/CX_Said__c-nl_NL/Gone__c.fieldTranslation-meta.xml | CX_Said__c: translates field Gone__c, which does not exist`,
        `${t}/CX_Unsaid__c-nl_NL | missing: CX_Unsaid__c has no nl_NL translation`,
        `${said} | CX_Said__c: the name field's label has no nl_NL translation (<nameFieldLabel>)`,
        `${said} | CX_Said__c: validation rule Channel_Set has no nl_NL error message`
      ].sort()
    );
  });

  it('permissions: persona needs, destructive access, and what a package cannot carry', () => {
    const personas = repPersona(
      [
        { object: 'CX_Config__c', access: ['read'] },
        { object: 'CX_Child__c', access: ['create', 'read'] }
      ],
      ['CX_Config__c']
    );
    const sets = 'force-app/main/default/permissionsets';
    const rep = `${sets}/Outside_In_Rep.permissionset-meta.xml`;
    const admin = `${sets}/Outside_In_Admin.permissionset-meta.xml`;
    const grants =
      'config/unpackaged/main/default/permissionsets/Outside_In_Rep_Grants.permissionset-meta.xml';
    const persona = 'Rep (Outside_In_Rep + Outside_In_Rep_Grants)';
    expect(lines(checkPermissions(broken('permissions'), personas))).toEqual(
      [
        `${admin} | Outside_In_Admin: CX_Config__c: create, edit, delete and view all need read`,
        `${admin} | Outside_In_Admin: CX_Config__c: delete needs edit`,
        `${admin} | Outside_In_Admin: sets the visibility of tab CX_Nope__c, which does not exist`,
        `${admin} | Outside_In_Admin: sets the visibility of app Outside_Out, which does not exist`,
        `${rep} | Outside_In_Rep: CX_Config__c.Key__c is required or set by the platform and takes no field permission`,
        `${rep} | Outside_In_Rep: grants CX_Config__c.Missing__c, which does not exist`,
        `${rep} | Outside_In_Rep: CX_Child__c.Total__c is computed (formula or auto number) and cannot be editable`,
        `${rep} | Outside_In_Rep (packaged): carries the user permission ApiEnabled`,
        `${rep} | Outside_In_Rep (packaged): carries object permissions on the standard object Account`,
        `${rep} | Outside_In_Rep (packaged): carries object permissions on CX_Child__c, a master-detail child of Account`,
        `${rep} | Outside_In_Rep (packaged): carries field permissions on the standard object field Account.CX_Rating__c`,
        `${rep} | Outside_In_Rep: the Rep persona gets no delete, modify all, view all on CX_Config__c`,
        `${grants} | missing: the Rep persona's unpackaged grants`,
        `${grants} | ${persona} needs create, read on CX_Child__c`,
        `${grants} | ${persona} cannot read 1 field(s) of CX_Child__c: Value__c`,
        `${grants} | ${persona} cannot edit 1 field(s) of CX_Child__c: Value__c`,
        `${grants} | ${persona} needs read on Account fields: CX_Rating__c`,
        `${grants} | ${persona} needs the user permission ApiEnabled`
      ].sort()
    );
  });

  it('field-references: imports, strings, GraphQL, SOQL, formulas, rules, custom metadata', () => {
    const metadata = 'force-app/main/default/customMetadata';
    const lwc = 'force-app/main/default/lwc/journeyView/journeyView.js';
    const ts = 'scripts/sync/queries.ts';
    expect(lines(checkFieldReferences(broken('field-references')))).toEqual(
      [
        `${lwc}:4 | imports @salesforce/schema/CX_Touchpoint__c.Stag__c: CX_Touchpoint__c has no field Stag__c`,
        `${lwc}:6 | imports @salesforce/schema/CX_Touchpoint__c.Jorney__r.Key__c: CX_Touchpoint__c has no relationship Jorney__r`,
        `${lwc}:7 | imports @salesforce/schema/CX_Nope__c: object CX_Nope__c is not in force-app or config/standard-objects.json`,
        `${lwc}:10 | names 'CX_Touchpoint__c.Bogus__c': CX_Touchpoint__c has no field Bogus__c`,
        `${lwc}:57 | imports @salesforce/label/c.CX_Nope: no custom label CX_Nope`,
        `${lwc}:17 | GraphQL query: CX_Touchpoint__c has no field Stage_Typo__c`,
        `${lwc}:17 | GraphQL query: CX_Journey__c has no field Nope__c`,
        `${lwc}:17 | GraphQL query: CX_Touchpoint__c has no field Missing__c`,
        `${ts}:3 | SOQL: CX_Touchpoint__c has no field Stag__c`,
        `${ts}:5 | SOQL: CX_Touchpoint__c has no field Wrong__c`,
        `${ts}:6 | SOQL: CX_Journey__c has no field Kee__c`,
        `${ts}:11 | names 'Account.CX_Missing__c': Account has no field CX_Missing__c`,
        `${OBJECTS}/CX_Journey__c/validationRules/Key_Format.validationRule-meta.xml | CX_Journey__c validation rule Key_Format names Kee__c: CX_Journey__c has no field Kee__c`,
        `${OBJECTS}/CX_Journey__c/validationRules/Key_Format.validationRule-meta.xml | CX_Journey__c validation rule Key_Format shows its error on Kee__c, which does not exist`,
        `${OBJECTS}/CX_Touchpoint__c/fields/Stage_Label__c.field-meta.xml | the formula of CX_Touchpoint__c.Stage_Label__c names Stag__c: CX_Touchpoint__c has no field Stag__c`,
        `${metadata}/CX_Dimension.Reliability.md-meta.xml | sets CX_Dimension__mdt.Wieght__c, which does not exist`,
        `${metadata}/CX_Nothing.Default.md-meta.xml | a record of CX_Nothing__mdt, which does not exist`
      ].sort()
    );
  });

  it('sample-data: objects, fields, values, required fields and references of the plan', () => {
    const d = (file: string, message: string): string => `data/${file} | ${message}`;
    expect(lines(checkSampleData(broken('sample-data')))).toEqual(
      [
        d('Account.json', 'records[1] (AccNameless): Account.Name is required'),
        d('Account.json', 'records[2] (AccBogus): Account has no field Bogus__c'),
        d(
          'CX_Journey__c.json',
          'records[0] (JrnA).Touchpoints__r[0] (TpNested): CX_Touchpoint__c.Stage__c is required'
        ),
        d('CX_Journey__c.json', 'records[1] (JrnNoKey): CX_Journey__c.Key__c is required'),
        d(
          'CX_Journey__c.json',
          'records[2] (JrnLongKey): CX_Journey__c.Key__c: 92 characters; the field holds 80'
        ),
        d(
          'CX_Touchpoint__c.json',
          'records[1] (TpWrongType): CX_Touchpoint__c.Journey__c: @AccOne refers to Account; the field points to CX_Journey__c'
        ),
        d(
          'CX_Touchpoint__c.json',
          'records[2] (TpBadStage): CX_Touchpoint__c.Stage__c: "Nope" is not a value of this restricted picklist'
        ),
        d(
          'CX_Touchpoint__c.json',
          'records[3] (TpHuge): CX_Touchpoint__c.Brand_Promise__c: 1234.5 has more than 3 digits before the point'
        ),
        d(
          'CX_Touchpoint__c.json',
          'records[4] (TpGhost): CX_Touchpoint__c.Journey__c: @Ghost is not a record saved earlier in the plan'
        ),
        d('CX_Touchpoint__c.json', 'records[5] (TpA): referenceId TpA is used twice'),
        d(
          'CX_Perception__c.json',
          'records[0] (PerOne): CX_Perception__c.Account__c: @AccOne: the plan step does not resolve references'
        ),
        d(
          'CX_Perception__c.json',
          'records[0] (PerOne): CX_Perception__c.Gap__c cannot be set on create'
        ),
        d(
          'CX_Perception__c.json',
          'records[0] (PerOne): CX_Perception__c.Perception__c: expected a number, got "high"'
        ),
        d(
          'CX_Perception__c.json',
          'records[0] (PerOne): CX_Perception__c.Response_Id__c is required'
        ),
        d('sample-data-plan.json', 'step 5 imports CX_Missing__c, which is not in the schema'),
        d('Orphan.json', 'not imported by the plan')
      ].sort()
    );
  });

  it('reports: report type tables and columns, report columns, dashboard reports', () => {
    const base = 'force-app/main/default';
    const type = `${base}/reportTypes/CX_Perceptions.reportType-meta.xml`;
    const report = `${base}/reports/Folder/Perceptions.report-meta.xml`;
    const dashboard = `${base}/dashboards/Folder/Overview.dashboard-meta.xml`;
    expect(lines(checkReports(broken('reports')))).toEqual(
      [
        `${base}/reportTypes/CX_Nothing.reportType-meta.xml | base object CX_Nothing__c is not in the schema`,
        `${type} | column CX_Perception__c.Gapp__c: CX_Perception__c has no field Gapp__c`,
        `${type} | column CX_Perception__c.Gap__c.Name: CX_Perception__c.Gap__c is not a lookup`,
        `${type} | table CX_Perception__c.Things__r is not CX_Perception__c or a relationship of it`,
        `${base}/reports/Folder/Ghost.report-meta.xml | uses report type CX_Ghost__c, which does not exist`,
        `${report} | column CX_Perception__c$Response_Id__c is not in report type CX_Perceptions__c`,
        `${report} | column CX_Perception__c$CreatedDate is not in report type CX_Perceptions__c`,
        `${dashboard} | column CX_Perception__c$Expectation__c of report Folder/Perceptions is not in its report type`,
        `${dashboard} | shows report Folder/Missing, which does not exist`
      ].sort()
    );
  });

  it('pages: page components, layout fields and help text, app tabs, object tabs', () => {
    const base = 'force-app/main/default';
    const layout = `${base}/layouts/CX_Perception__c-Perception Layout.layout-meta.xml`;
    const touchpointPage = `${base}/flexipages/Touchpoint_Page.flexipage-meta.xml`;
    expect(lines(checkPages(broken('pages')))).toEqual(
      [
        `${base}/flexipages/Ghost_Page.flexipage-meta.xml | page for CX_Ghost__c, which is not in the schema`,
        `${base}/flexipages/Home_Page.flexipage-meta.xml | component scoreCard: does not target lightning__AppPage`,
        `${touchpointPage} | component scoreCard: its lightning__RecordPage target lists Account, not CX_Touchpoint__c`,
        `${touchpointPage} | component hiddenCard: not exposed (isExposed is not true)`,
        `${touchpointPage} | component missingCard: no such component in force-app/main/default/lwc`,
        `${base}/layouts/CX_Ghost__c-Ghost Layout.layout-meta.xml | layout for CX_Ghost__c, which is not in the schema`,
        `${layout} | CX_Perception__c.Account__c is on a layout and has no <inlineHelpText>`,
        `${layout} | CX_Perception__c.Gap__c is computed and must be Readonly, not Edit`,
        `${layout} | CX_Perception__c.Gap__c is on a layout and has no <inlineHelpText>`,
        `${layout} | places CX_Perception__c.Nps__c, which does not exist`,
        `${base}/tabs/CX_Gone__c.tab-meta.xml | tab for object CX_Gone__c, which does not exist`,
        `${base}/applications/Outside_In.app-meta.xml | lists tab CX_Survey__c, which does not exist`
      ].sort()
    );
  });
});

describe('parseGraphqlSelections', () => {
  it('reads nesting and skips arguments, aliases, fragments and directives', () => {
    const selections = parseGraphqlSelections(`
      query q($id: ID, $n: Int = 5) {
        uiapi {
          query {
            recent: CX_Journey__c(where: { Name: { like: "a{b}" } }, first: $n) @optional {
              edges { node { ... on CX_Journey__c { Key__c { value } } Name @category(name: "x") { value } } }
            }
          }
        }
      }`);
    expect(selections).toEqual([
      {
        name: 'uiapi',
        children: [
          {
            name: 'query',
            children: [
              {
                name: 'CX_Journey__c',
                children: [
                  {
                    name: 'edges',
                    children: [
                      {
                        name: 'node',
                        children: [
                          { name: 'Key__c', children: [{ name: 'value' }] },
                          { name: 'Name', children: [{ name: 'value' }] }
                        ]
                      }
                    ]
                  }
                ]
              }
            ]
          }
        ]
      }
    ]);
  });
});

describe('runChecks and the check command', () => {
  it('runs the named checks only and rejects unknown names', async () => {
    const results = await runChecks(broken('descriptions'), ['descriptions', 'xml']);
    expect(results.map((r) => [r.name, r.findings.length])).toEqual([
      ['xml', 0],
      ['descriptions', 3]
    ]);
    await expect(runChecks(good, ['nope'])).rejects.toThrow(/Unknown check nope; the checks are/);
    expect(formatFindings(results)).toMatch(/3 finding\(s\): xml ok, descriptions 3\.$/);
  });

  it('lists every check under a unique name', () => {
    const names = CHECKS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  function capture(): { out: () => string; restore: () => void } {
    let text = '';
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      text += String(chunk);
      return true;
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    return {
      out: () => text,
      restore: () => {
        out.mockRestore();
        err.mockRestore();
      }
    };
  }

  it('exits 1 and prints the findings when a check fails', async () => {
    const io = capture();
    const code = await main(['check', '--root', broken('xml'), '--only', 'xml']);
    io.restore();
    expect(code).toBe(1);
    expect(io.out()).toContain(
      'force-app/main/default/objects/CX_Thing__c/CX_Thing__c.object-meta.xml: XML does not parse'
    );
    expect(io.out()).toContain('3 finding(s): xml 3.');
  });

  it('exits 0 when the checks pass, and pins the --json shape', async () => {
    const io = capture();
    const code = await main(['check', '--root', good, '--only', 'xml', 'descriptions', '--json']);
    io.restore();
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toEqual({
      ok: true,
      results: [
        { name: 'xml', title: 'Metadata XML parses', findings: [] },
        { name: 'descriptions', title: 'Objects and fields have descriptions', findings: [] }
      ]
    });
  });
});
