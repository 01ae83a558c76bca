/**
 * SOQL conformance: queries and their expected results over the fixture data
 * (see testing/orgFixture.ts; "now" is 2026-11-15 12:00 UTC, the org's time
 * zone Europe/Amsterdam), then the error messages in an org's shapes.
 */
import type { Persona } from '../core';
import { SfError } from '../errors';
import { fixtureOrg } from '../testing/orgFixture';
import { parseError } from './errors';

const { core, ids } = fixtureOrg();

/** Records without `attributes`, the way a test reads them. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'attributes') out[k] = plain(v);
    return out;
  }
  return value;
}

function run(soql: string, persona: Persona = 'admin') {
  return core.query(core.context(persona), soql);
}

const names = (...n: string[]) => n.map((Name) => ({ Name }));
const responses = (...r: string[]) => r.map((Response_Id__c) => ({ Response_Id__c }));

const TABLE: [string, Persona, unknown][] = [
  ['SELECT Name FROM Account ORDER BY Name', 'admin', names('Acme', 'Globex', 'Initech')],
  ['SELECT Name FROM Account WHERE Industry = null', 'admin', names('Initech')],
  [
    "SELECT Name FROM Account WHERE Industry != 'Retail' ORDER BY Name",
    'admin',
    names('Globex', 'Initech')
  ],
  [
    "SELECT Name FROM Account WHERE Industry IN ('retail', 'Energy') ORDER BY Name DESC",
    'admin',
    names('Globex', 'Acme')
  ],
  [
    "SELECT Name FROM Account WHERE Industry NOT IN ('Retail') ORDER BY Name",
    'admin',
    names('Globex', 'Initech')
  ],
  [
    "SELECT Name FROM Account WHERE Name LIKE '%e%' AND NOT Name LIKE 'G%' ORDER BY Name",
    'admin',
    names('Acme', 'Initech')
  ],
  [
    "SELECT Name FROM Account WHERE (Industry = 'Retail' OR Industry = 'Energy') AND Name != 'Acme'",
    'admin',
    names('Globex')
  ],
  ['SELECT Name FROM Account WHERE AnnualRevenue > 1000000', 'admin', names('Initech')],
  ['SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1', 'admin', names('Globex')],
  ['SELECT Name FROM CX_Journey__c WHERE Active__c = true', 'admin', names('Onboarding')],
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE Occurred_At__c = TODAY',
    'admin',
    responses('R-3')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE Occurred_At__c = YESTERDAY',
    'admin',
    responses('R-1')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE Occurred_At__c = THIS_MONTH ORDER BY Response_Id__c',
    'admin',
    responses('R-1', 'R-3')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE Occurred_At__c = LAST_MONTH',
    'admin',
    responses('R-2')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE Occurred_At__c = LAST_N_DAYS:1 ORDER BY Response_Id__c',
    'admin',
    responses('R-1', 'R-3')
  ],
  // 22:30 UTC on 30 June is 1 July in Amsterdam.
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE Occurred_At__c = LAST_YEAR',
    'admin',
    responses('R-4')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE Occurred_At__c < 2025-07-01T00:00:00Z',
    'admin',
    responses('R-4')
  ],
  ['SELECT Response_Id__c FROM CX_Perception__c WHERE Gap__c < 0', 'admin', responses('R-1')],
  [
    "SELECT Response_Id__c, Touchpoint__r.Journey__r.Name FROM CX_Perception__c WHERE Touchpoint__r.Key__c = 'ONB-PORTAL' ORDER BY Response_Id__c",
    'admin',
    [
      { Response_Id__c: 'R-2', Touchpoint__r: { Journey__r: { Name: 'Onboarding' } } },
      { Response_Id__c: 'R-4', Touchpoint__r: { Journey__r: { Name: 'Onboarding' } } }
    ]
  ],
  [
    "SELECT Name, Parent.Name FROM Account WHERE Name = 'Acme'",
    'admin',
    [{ Name: 'Acme', Parent: null }]
  ],
  [
    'SELECT Name, (SELECT Response_Id__c FROM CX_Perceptions__r ORDER BY Response_Id__c) FROM Account ORDER BY Name',
    'admin',
    [
      {
        Name: 'Acme',
        CX_Perceptions__r: { totalSize: 2, done: true, records: responses('R-1', 'R-2') }
      },
      {
        Name: 'Globex',
        CX_Perceptions__r: { totalSize: 1, done: true, records: responses('R-3') }
      },
      {
        Name: 'Initech',
        CX_Perceptions__r: { totalSize: 1, done: true, records: responses('R-4') }
      }
    ]
  ],
  [
    "SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name = 'Globex'",
    'admin',
    [{ Name: 'Globex', Contacts: null }]
  ],
  [
    "SELECT Key__c FROM CX_Touchpoint__c WHERE Channels__c INCLUDES ('Email')",
    'admin',
    [{ Key__c: 'ONB-WELCOME' }]
  ],
  ["SELECT Key__c FROM CX_Touchpoint__c WHERE Channels__c INCLUDES ('Web;Email')", 'admin', []],
  [
    "SELECT Key__c FROM CX_Touchpoint__c WHERE Channels__c INCLUDES ('Web;Email', 'Phone;Email')",
    'admin',
    [{ Key__c: 'ONB-WELCOME' }]
  ],
  [
    "SELECT Key__c FROM CX_Touchpoint__c WHERE Channels__c EXCLUDES ('Web')",
    'admin',
    [{ Key__c: 'ONB-WELCOME' }]
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c ORDER BY Expectation__c',
    'admin',
    responses('R-3', 'R-2', 'R-4', 'R-1')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c ORDER BY Expectation__c ASC NULLS LAST',
    'admin',
    responses('R-2', 'R-4', 'R-1', 'R-3')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c ORDER BY Expectation__c DESC',
    'admin',
    responses('R-1', 'R-4', 'R-2', 'R-3')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c ORDER BY Expectation__c DESC NULLS FIRST',
    'admin',
    responses('R-3', 'R-1', 'R-4', 'R-2')
  ],
  [
    'SELECT Channel__c, COUNT(Id) n, AVG(Perception__c), MAX(Occurred_At__c) FROM CX_Perception__c GROUP BY Channel__c ORDER BY Channel__c',
    'admin',
    [
      { Channel__c: 'Phone', n: 2, expr0: 60, expr1: '2026-11-15T08:00:00.000+0000' },
      { Channel__c: 'Web', n: 2, expr0: 90, expr1: '2026-10-02T09:00:00.000+0000' }
    ]
  ],
  [
    'SELECT COUNT_DISTINCT(Touchpoint__c), SUM(NPS__c), MIN(Response_Id__c) FROM CX_Perception__c',
    'admin',
    [{ expr0: 2, expr1: 10, expr2: 'R-1' }]
  ],
  [
    'SELECT Account__r.Name, COUNT(Id) FROM CX_Perception__c GROUP BY Account__r.Name HAVING COUNT(Id) > 1',
    'admin',
    [{ Name: 'Acme', expr0: 2 }]
  ],
  [
    'SELECT Name FROM Account WHERE Id IN (SELECT Account__c FROM CX_Perception__c WHERE Perception__c >= 70) ORDER BY Name',
    'admin',
    names('Acme')
  ],
  // Date functions read date-times in UTC unless convertTimezone() asks for the user's zone.
  [
    'SELECT CALENDAR_YEAR(Occurred_At__c) y, CALENDAR_MONTH(Occurred_At__c) m, COUNT(Id) FROM CX_Perception__c GROUP BY CALENDAR_YEAR(Occurred_At__c), CALENDAR_MONTH(Occurred_At__c) ORDER BY CALENDAR_YEAR(Occurred_At__c), CALENDAR_MONTH(Occurred_At__c)',
    'admin',
    [
      { y: 2025, m: 6, expr0: 1 },
      { y: 2026, m: 10, expr0: 1 },
      { y: 2026, m: 11, expr0: 2 }
    ]
  ],
  [
    'SELECT CALENDAR_MONTH(convertTimezone(Occurred_At__c)), COUNT(Id) FROM CX_Perception__c WHERE CALENDAR_YEAR(Occurred_At__c) = 2025 GROUP BY CALENDAR_MONTH(convertTimezone(Occurred_At__c))',
    'admin',
    [{ expr0: 7, expr1: 1 }]
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE DAY_ONLY(Occurred_At__c) = 2026-11-14',
    'admin',
    responses('R-1')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c WHERE HOUR_IN_DAY(convertTimezone(Occurred_At__c)) = 0',
    'admin',
    responses('R-4')
  ],
  [
    'SELECT DeveloperName FROM CX_Dimension__mdt WHERE Weight__c > 0.2',
    'admin',
    [{ DeveloperName: 'Reliability' }]
  ],
  ['SELECT Name FROM Account ORDER BY Name', 'rep', names('Acme', 'Initech')],
  [
    'SELECT Response_Id__c FROM CX_Perception__c ORDER BY Response_Id__c',
    'rep',
    responses('R-1', 'R-2', 'R-4')
  ],
  [
    'SELECT Response_Id__c FROM CX_Perception__c ORDER BY Response_Id__c',
    'manager',
    responses('R-1', 'R-2', 'R-3', 'R-4')
  ]
];

describe('SOQL conformance', () => {
  it.each(TABLE)('%s (as %s)', (soql, persona, expected) => {
    const result = run(soql, persona);
    expect(plain(result.records)).toEqual(expected);
    expect(result.totalSize).toBe((expected as unknown[]).length);
  });

  it('counts with COUNT() in totalSize and no records', () => {
    const result = run("SELECT COUNT() FROM CX_Perception__c WHERE Account__r.Name = 'Acme'");
    expect(result.totalSize).toBe(2);
    expect(result.records).toEqual([]);
  });

  it('types the parent of a polymorphic lookup by its Id', () => {
    const [rec] = run("SELECT What.Name FROM Task WHERE Subject = 'Send quote'").records as {
      What: { attributes: { type: string; url: string } };
    }[];
    expect(rec!.What.attributes).toEqual({
      type: 'Opportunity',
      url: `/services/data/v62.0/sobjects/Opportunity/${ids.deal}`
    });
  });

  it('accepts 15- and 18-character Id literals and returns 18-character Ids in urls', () => {
    const acme = ids.acme!;
    for (const id of [acme, acme.slice(0, 15)]) {
      const result = run(`SELECT Id, Name FROM Account WHERE Id = '${id}'`);
      expect(result.records).toEqual([
        {
          attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${acme}` },
          Id: acme,
          Name: 'Acme'
        }
      ]);
    }
  });
});

function queryError(soql: string, persona: Persona = 'admin'): SfError {
  try {
    run(soql, persona);
  } catch (err) {
    if (err instanceof SfError) return err;
    throw err;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SOQL errors', () => {
  it('reports an unknown column as an org does (recorded message)', () => {
    const err = queryError('SELECT Bacon__c FROM Account LIMIT 2');
    expect(err.errorCode).toBe('INVALID_FIELD');
    expect(err.message).toBe(
      "\nSELECT Bacon__c FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column 'Bacon__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
    );
  });

  it('reports an unknown object as an org does (recorded message)', () => {
    const err = queryError('select count() from XYZZY');
    expect(err.errorCode).toBe('INVALID_TYPE');
    expect(err.message).toBe(
      "\nselect count() from XYZZY\n                    ^\nERROR at Row:1:Column:21\nsObject type 'XYZZY' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
    );
  });

  it.each([
    ['SELEKT Id FROM Account', 'MALFORMED_QUERY', /^unexpected token: SELEKT$/],
    [
      'SELECT Id, FROM Account',
      'MALFORMED_QUERY',
      /\^\nERROR at Row:1:Column:12\nunexpected token: 'FROM'$/
    ],
    [
      "SELECT Name FROM Account WHERE AnnualRevenue = '5'",
      'INVALID_FIELD',
      /must be of type double and should not be enclosed in quotes$/
    ],
    [
      'SELECT Name FROM Account WHERE Name = 5',
      'INVALID_FIELD',
      /must be of type string and should be enclosed in quotes$/
    ],
    [
      'SELECT Name, COUNT(Id) FROM Account',
      'MALFORMED_QUERY',
      /Field must be grouped or aggregated: Name$/
    ],
    [
      'SELECT Foo__r.Name FROM Account',
      'INVALID_FIELD',
      /Didn't understand relationship 'Foo__r' in field path/
    ],
    [
      "SELECT Name FROM Account WHERE Id = 'nope'",
      'INVALID_QUERY_FILTER_OPERATOR',
      /^invalid ID field: nope$/
    ],
    [
      'SELECT Name, (SELECT Id FROM Nothings) FROM Account',
      'INVALID_FIELD',
      /Didn't understand relationship 'Nothings'/
    ]
  ])('%s -> %s', (soql, code, message) => {
    const err = queryError(soql);
    expect(err.errorCode).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('answers for fields and objects the user may not read as if they did not exist', () => {
    expect(queryError('SELECT Brand_Promise__c FROM CX_Touchpoint__c', 'rep').errorCode).toBe(
      'INVALID_FIELD'
    );
    expect(
      queryError('SELECT Id FROM CX_Touchpoint__c WHERE Brand_Promise__c > 1', 'rep').errorCode
    ).toBe('INVALID_FIELD');
    expect(queryError('SELECT Id FROM CX_Sync_Run__c', 'rep').errorCode).toBe('INVALID_TYPE');
    expect(
      queryError('SELECT Touchpoint__r.Brand_Promise__c FROM CX_Perception__c', 'rep').errorCode
    ).toBe('INVALID_FIELD');
  });

  it('places the caret under the token on later lines', () => {
    const err = parseError('SELECT Id\nFROM Account\nWHERE', new Error("but found: ''"));
    expect(err.errorCode).toBe('MALFORMED_QUERY');
    const e2 = queryError('SELECT Id,\n  Nope__c\nFROM Account');
    expect(e2.message).toBe(
      "\n  Nope__c\n  ^\nERROR at Row:2:Column:3\nNo such column 'Nope__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
    );
  });
});
