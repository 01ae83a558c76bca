import { LocalOrgCore } from './core';
import { SfError } from './errors';
import { makeId } from './ids';
import { fixtureSchema } from './testing/fixtureSchema';
import { FIXED_NOW, fixtureOrg } from './testing/orgFixture';

function errorOf(fn: () => unknown): SfError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SfError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('record layer', () => {
  const { core, ids } = fixtureOrg();
  const admin = core.context('admin');
  const rep = core.context('rep');
  const r = core.records;

  it('creates records with system fields, auto-numbers and formulas', () => {
    const rec = r.retrieve(admin, 'CX_Perception__c', ids.p1, undefined, '62.0');
    expect(rec.Name).toBe('P-0000001');
    expect(rec.Gap__c).toBe(-10);
    expect(rec.CreatedDate).toBe('2026-11-15T12:00:00.000+0000');
    expect(rec.CreatedById).toBe(admin.userId);
    expect(rec.IsDeleted).toBe(false);
    // Blank-as-blank: a gap needs both sides.
    expect(r.retrieve(admin, 'CX_Perception__c', ids.p3, ['Gap__c'], '62.0').Gap__c).toBeNull();
  });

  it('recomputes formulas on update and applies defaults on create', () => {
    r.update(admin, undefined, ids.p3, { Expectation__c: 40 });
    expect(r.retrieve(admin, 'CX_Perception__c', ids.p3, ['Gap__c'], '62.0').Gap__c).toBe(10);
    const tp = r.retrieve(admin, 'CX_Touchpoint__c', ids.portal, ['Importance_Weight__c'], '62.0');
    expect(tp.Importance_Weight__c).toBe(1);
  });

  it.each([
    [{ Name: 'x', Key__c: 'K1' }, 'REQUIRED_FIELD_MISSING', ['Stage__c']],
    [
      { Name: 'x', Key__c: 'K1', Stage__c: 'Later' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      ['Stage__c']
    ],
    [{ Name: 'x', Key__c: 'onb-welcome', Stage__c: 'Service' }, 'DUPLICATE_VALUE', ['Key__c']],
    [{ Name: 'x'.repeat(81), Key__c: 'K1', Stage__c: 'Service' }, 'STRING_TOO_LONG', ['Name']],
    [
      { Name: 'x', Key__c: 'K1', Stage__c: 'Service', Brand_Promise__c: 101 },
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      ['Brand_Promise__c']
    ],
    [
      { Name: 'x', Key__c: 'K1', Stage__c: 'Service', Stage_Order__c: 1000 },
      'NUMBER_OUTSIDE_VALID_RANGE',
      ['Stage_Order__c']
    ],
    [
      { Name: 'x', Key__c: 'K1', Stage__c: 'Service', Journey__c: 'bogus' },
      'MALFORMED_ID',
      ['Journey__c']
    ],
    [
      { Name: 'x', Key__c: 'K1', Stage__c: 'Service', Journey__c: '0015L0000000001QAA' },
      'MALFORMED_ID',
      ['Journey__c']
    ],
    [
      { Name: 'x', Key__c: 'K1', Stage__c: 'Service', Journey__r: { Key__c: 'NOPE' } },
      'INVALID_FIELD',
      ['Journey__c']
    ],
    [{ Name: 'x', Key__c: 'K1', Stage__c: 'Service', Bogus__c: 1 }, 'INVALID_FIELD', undefined]
  ])('refuses %j with %s', (input, code, fields) => {
    const err = errorOf(() => r.create(admin, 'CX_Touchpoint__c', input));
    expect(err.errorCode).toBe(code);
    expect(err.fields).toEqual(fields);
  });

  it('refuses a lookup to a missing record of the right object', () => {
    const missing = makeId(core.schema.get('CX_Journey__c')!.keyPrefix, 999);
    const err = errorOf(() =>
      r.create(admin, 'CX_Touchpoint__c', {
        Name: 'x',
        Key__c: 'K9',
        Stage__c: 'Service',
        Journey__c: missing
      })
    );
    expect(err.errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
  });

  it('evaluates ISNEW and ISCHANGED in validation rules', () => {
    const id = r.create(admin, 'CX_Touchpoint__c', {
      Name: 'Fixed',
      Key__c: 'FIX-1',
      Stage__c: 'Service'
    });
    r.update(admin, undefined, id, { Name: 'Still fixed', Key__c: 'FIX-1' });
    const err = errorOf(() => r.update(admin, undefined, id, { Key__c: 'FIX-2' }));
    expect(err.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(err.message).toBe('The key of a touchpoint cannot change.');
    expect(err.fields).toEqual(['Key__c']);
  });

  it('quotes the label and the 15-character Id in messages', () => {
    const long = errorOf(() => r.create(admin, 'Account', { Name: 'n'.repeat(256) }));
    expect(long.message).toMatch(
      /^Account Name: data value too large: n+\.\.\. \(max length=255\)$/
    );
    const dup = errorOf(() => r.create(admin, 'CX_Journey__c', { Name: 'x', Key__c: 'onb' }));
    expect(dup.message).toBe(
      `duplicate value found: Key__c duplicates value on record with id: ${ids.journey!.slice(0, 15)}`
    );
  });

  it('resolves parent references by external Id', () => {
    const id = r.create(admin, 'CX_Touchpoint__c', {
      Name: 'Ref',
      Key__c: 'REF-1',
      Stage__c: 'Service',
      'Journey__r.Key__c': 'onb'
    });
    expect(r.retrieve(admin, 'CX_Touchpoint__c', id, ['Journey__c'], '62.0').Journey__c).toBe(
      ids.journey
    );
  });

  it('upserts on an external Id, creating then updating', () => {
    const first = r.upsert(admin, 'CX_Journey__c', 'Key__c', 'UPS', { Name: 'Upserted' });
    const second = r.upsert(admin, 'CX_Journey__c', 'Key__c', 'ups', { Name: 'Again' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
  });

  it('takes the external Id of an upsert from the record in any case', () => {
    const first = r.upsert(admin, 'CX_Journey__c', 'Key__c', undefined, {
      key__C: 'CASE-1',
      Name: 'Cased'
    });
    const again = r.upsert(admin, 'CX_Journey__c', 'Key__c', undefined, {
      Name: 'Renamed',
      KEY__C: 'case-1'
    });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const rec = r.retrieve(admin, 'CX_Journey__c', first.id, ['Name', 'Key__c'], '62.0');
    expect([rec.Name, rec.Key__c]).toEqual(['Renamed', 'CASE-1']);
    const missing = errorOf(() =>
      r.upsert(admin, 'CX_Journey__c', 'Key__c', undefined, { Name: 'No key' })
    );
    expect([missing.errorCode, missing.fields]).toEqual(['MISSING_ARGUMENT', ['Key__c']]);
  });

  it('enforces object and field permissions per user', () => {
    expect(
      errorOf(() => r.create(rep, 'CX_Journey__c', { Name: 'x', Key__c: 'R1' })).errorCode
    ).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    expect(errorOf(() => r.create(rep, 'CX_Sync_Run__c', { Run_Id__c: 'x' })).errorCode).toBe(
      'INVALID_TYPE'
    );
    const fls = errorOf(() =>
      r.create(rep, 'CX_Perception__c', {
        Account__c: ids.acme,
        Occurred_At__c: '2026-11-01T00:00:00Z',
        Source__c: 'Rep_Capture',
        Response_Id__c: 'rep-1',
        Self_Rating__c: 50
      })
    );
    expect(fls.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(fls.fields).toEqual(['Self_Rating__c']);
  });

  it('lets a rep add perceptions to own accounts only', () => {
    const input = {
      Occurred_At__c: '2026-11-01T00:00:00Z',
      Source__c: 'Rep_Capture',
      Perception__c: 60
    };
    expect(
      r.create(rep, 'CX_Perception__c', { ...input, Account__c: ids.acme, Response_Id__c: 'rep-2' })
    ).toMatch(/^a/);
    const err = errorOf(() =>
      r.create(rep, 'CX_Perception__c', {
        ...input,
        Account__c: ids.globex,
        Response_Id__c: 'rep-3'
      })
    );
    expect(err.errorCode).toBe('INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
  });

  it('runs batches all-or-none with rollback', () => {
    const results = r.batch([{ Name: 'A', Key__c: 'B1' }, { Name: 'B' }], true, (rec) =>
      r.create(admin, 'CX_Journey__c', rec)
    );
    expect(results.map((x) => (x.ok ? 'ok' : x.error.errorCode))).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING'
    ]);
    expect(
      core.query(admin, "SELECT COUNT() FROM CX_Journey__c WHERE Key__c = 'B1'").totalSize
    ).toBe(0);
  });

  it('moves deletes to the recycle bin with cascade, and hard-deletes for good', () => {
    const acct = r.create(admin, 'Account', { Name: 'Doomed' });
    const child = r.create(admin, 'CX_Perception__c', {
      Account__c: acct,
      Occurred_At__c: '2026-11-01T00:00:00Z',
      Source__c: 'Import',
      Response_Id__c: 'doomed-1'
    });
    r.delete(admin, acct);
    const count = (all: boolean) =>
      core.query(admin, `SELECT COUNT() FROM CX_Perception__c WHERE Id = '${child}'`, { all })
        .totalSize;
    expect(count(false)).toBe(0);
    expect(count(true)).toBe(1);
    expect(errorOf(() => r.delete(admin, acct)).errorCode).toBe('ENTITY_IS_DELETED');
    r.hardDelete(admin, acct);
    expect(count(true)).toBe(0);
    expect(errorOf(() => r.hardDelete(rep, ids.acme)).errorCode).toBe(
      'INSUFFICIENT_ACCESS_OR_READONLY'
    );
  });

  it('serves custom metadata read-only', () => {
    expect(
      errorOf(() => r.create(admin, 'CX_Setting__mdt', { DeveloperName: 'X' })).errorCode
    ).toBe('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY');
  });
});

describe('record layer batches', () => {
  const perception = (account: string, n: number, extra: Record<string, unknown> = {}) => ({
    Account__c: account,
    Occurred_At__c: '2026-11-01T00:00:00Z',
    Source__c: 'Import',
    Response_Id__c: `batch-${n}`,
    ...extra
  });

  it('gives a failed row no Id or auto-number: the next row takes them', () => {
    const { core, ids } = fixtureOrg();
    const admin = core.context('admin');
    const r = core.records;
    const before = r.retrieve(admin, 'CX_Perception__c', ids.p4, ['Name'], '62.0');
    const out = r.batch(
      [
        perception(ids.acme!, 1),
        perception(ids.acme!, 2, { Channel__c: 'Fax' }),
        perception(ids.acme!, 3, { Response_Id__c: 'R-1' }),
        perception(ids.acme!, 4)
      ],
      false,
      (rec) => r.create(admin, 'CX_Perception__c', rec)
    );
    expect(out.map((x) => (x.ok ? 'ok' : x.error.errorCode))).toEqual([
      'ok',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'DUPLICATE_VALUE',
      'ok'
    ]);
    const [first, , , last] = out.map((x) => (x.ok ? x.value : ''));
    const n = (id: string) => parseInt(id.slice(3, 15), 36);
    expect(n(last!)).toBe(n(first!) + 1);
    const names = [first, last].map(
      (id) => r.retrieve(admin, 'CX_Perception__c', id, ['Name'], '62.0').Name
    );
    const next = Number(String(before.Name).slice(2)) + 1;
    expect(names).toEqual([next, next + 1].map((k) => `P-${String(k).padStart(7, '0')}`));
    // The counters were kept: a record created after the batch continues from them.
    const after = r.create(admin, 'CX_Perception__c', perception(ids.acme!, 5));
    expect(n(after)).toBe(n(last!) + 1);
  });

  it('rolls back a failed item that had written, and keeps the other items', () => {
    const { core } = fixtureOrg();
    const admin = core.context('admin');
    const r = core.records;
    const out = r.batch(['J1', 'J2', 'J3'], false, (key) => {
      const id = r.create(admin, 'CX_Journey__c', { Name: key, Key__c: key });
      if (key === 'J2') r.update(admin, undefined, id, { Name: null });
      return id;
    });
    expect(out.map((x) => (x.ok ? 'ok' : x.error.errorCode))).toEqual([
      'ok',
      'REQUIRED_FIELD_MISSING',
      'ok'
    ]);
    const keys = core
      .query(admin, "SELECT Key__c FROM CX_Journey__c WHERE Key__c LIKE 'J_' ORDER BY Key__c")
      .records.map((rec) => rec.Key__c);
    expect(keys).toEqual(['J1', 'J3']);
  });

  it('sees parents changed by earlier items of the same batch', () => {
    const { core, ids } = fixtureOrg();
    const admin = core.context('admin');
    const rep = core.context('rep');
    const r = core.records;
    const doomed = r.create(admin, 'Account', { Name: 'Doomed', OwnerId: rep.userId });
    const out = r.batch(['create', 'give away', 'create', 'delete', 'create'], false, (step, i) => {
      if (step === 'give away')
        return r.update(admin, undefined, doomed, { OwnerId: admin.userId });
      if (step === 'delete') return r.delete(admin, doomed);
      return r.create(rep, 'CX_Perception__c', perception(doomed, 10 + i));
    });
    expect(out.map((x) => (x.ok ? 'ok' : x.error.errorCode))).toEqual([
      'ok',
      'ok',
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      'ok',
      'INVALID_CROSS_REFERENCE_KEY'
    ]);
    expect(ids.acme).toBeDefined();
  });

  it('leaves nothing changed when a delete cascade fails halfway', () => {
    const schema = fixtureSchema();
    const caseObj = schema.objects.get('Case')!;
    const accountId = caseObj.fields.find((f) => f.name === 'AccountId')!;
    accountId.deleteConstraint = 'Restrict';
    const core = new LocalOrgCore({ file: ':memory:', schema, now: () => FIXED_NOW });
    const admin = core.context('admin');
    const r = core.records;
    const parent = r.create(admin, 'Account', { Name: 'Parent' });
    const child = r.create(admin, 'Account', { Name: 'Child', ParentId: parent });
    r.create(admin, 'Case', { Subject: 'Open', AccountId: parent });
    // The child account's ParentId is cleared before the case refuses the delete.
    expect(errorOf(() => r.delete(admin, parent)).errorCode).toBe('DELETE_FAILED');
    const out = r.batch([parent], false, (id) => r.delete(admin, id));
    expect(out[0]!.ok ? 'ok' : out[0]!.error.errorCode).toBe('DELETE_FAILED');
    expect(r.retrieve(admin, 'Account', child, ['ParentId'], '62.0').ParentId).toBe(parent);
  });
});
