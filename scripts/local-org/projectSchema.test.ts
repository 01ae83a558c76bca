/**
 * The local org on the project's own schema (force-app, config/unpackaged and
 * the standard-object schema file), as `outside-in org start` serves it.
 */
import { loadProjectSchema } from '../metadata/forceApp';
import { LocalOrgCore, PERSONAS } from './core';
import { describeObject } from './describe';
import { SfError } from './errors';

describe('local org on the project schema', () => {
  const core = new LocalOrgCore({ file: ':memory:', schema: loadProjectSchema() });
  const admin = core.context('admin');
  afterAll(() => core.close());

  function errorOf(fn: () => unknown): SfError {
    try {
      fn();
    } catch (err) {
      if (err instanceof SfError) return err;
      throw err;
    }
    throw new Error('expected an error');
  }

  it('queries and describes every object as the admin', () => {
    for (const obj of core.schema.objects.values()) {
      expect(() => core.query(admin, `SELECT Id FROM ${obj.name} LIMIT 1`)).not.toThrow();
      const d = describeObject(admin, core.schema, obj, '62.0');
      expect(d.fields.length).toBeGreaterThan(1);
    }
  });

  it('gives each persona its permission sets and grants', () => {
    for (const persona of PERSONAS) {
      const names = core.context(persona).permissions.permissionSets.map((p) => p.name);
      if (persona === 'admin') continue;
      const cap = persona.charAt(0).toUpperCase() + persona.slice(1);
      expect(names.sort()).toEqual([`Outside_In_${cap}`, `Outside_In_${cap}_Grants`]);
    }
  });

  it('evaluates the project formulas and validation rules', () => {
    const account = core.records.create(admin, 'Account', { Name: 'Formula Co' });
    const id = core.records.create(admin, 'CX_Perception__c', {
      Account__c: account,
      Occurred_At__c: '2026-11-01T10:00:00Z',
      Source__c: 'Import',
      Response_Id__c: 'proj-1',
      Perception__c: 55,
      Expectation__c: 70,
      Self_Rating__c: 80
    });
    const rec = core.records.retrieve(
      admin,
      'CX_Perception__c',
      id,
      ['Gap__c', 'Delivery_Gap__c'],
      '62.0'
    );
    expect(rec).toMatchObject({ Gap__c: -15, Delivery_Gap__c: 25 });
    const nps = errorOf(() =>
      core.records.create(admin, 'CX_Perception__c', {
        Account__c: account,
        Occurred_At__c: '2026-11-01T10:00:00Z',
        Source__c: 'Import',
        Response_Id__c: 'proj-2',
        NPS__c: 11
      })
    );
    expect(nps).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['NPS__c']
    });
    const period = errorOf(() =>
      core.records.create(admin, 'CX_Account_Score__c', {
        Account__c: account,
        Period__c: '2026-13',
        Score_Key__c: `A:${account}:2026-13`
      })
    );
    expect(period).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['Period__c']
    });
    const journey = errorOf(() =>
      core.records.create(admin, 'CX_Score__c', {
        Scope__c: 'Journey',
        Score_Key__c: 'J:x:2026-11',
        Period__c: '2026-11'
      })
    );
    expect(journey).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['Journey__c']
    });
  });

  it('serves the custom metadata records read-only', () => {
    const dims = core.query(
      admin,
      'SELECT DeveloperName, Weight__c FROM CX_Dimension__mdt ORDER BY DeveloperName'
    );
    expect(dims.totalSize).toBe(5);
    const total = dims.records.reduce((sum, r) => sum + Number(r.Weight__c), 0);
    expect(total).toBeCloseTo(1, 6);
    const settings = core.query(
      core.context('rep'),
      "SELECT Minimum_Sample__c FROM CX_Setting__mdt WHERE DeveloperName = 'Default'"
    );
    expect(settings.totalSize).toBe(1);
  });
});
