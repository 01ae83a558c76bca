/**
 * A small, fixed data set in a fresh in-memory local org: accounts owned by
 * the rep and the manager, a journey with touchpoints, perceptions on both
 * accounts. Shared by the record-layer, SOQL and HTTP tests.
 */
import { LocalOrgCore } from '../core';
import { fixtureSchema } from './fixtureSchema';

export interface FixtureOrg {
  core: LocalOrgCore;
  ids: Record<string, string>;
}

export const FIXED_NOW = new Date('2026-11-15T12:00:00.000Z');

export function fixtureOrg(now: () => Date = () => FIXED_NOW): FixtureOrg {
  const core = new LocalOrgCore({ file: ':memory:', schema: fixtureSchema(), now });
  const admin = core.context('admin');
  const r = core.records;
  const repId = core.users.get('rep')!.userId;
  const managerId = core.users.get('manager')!.userId;
  const ids: Record<string, string> = {};
  ids.acme = r.create(admin, 'Account', { Name: 'Acme', Industry: 'Retail', OwnerId: repId });
  ids.globex = r.create(admin, 'Account', {
    Name: 'Globex',
    Industry: 'Energy',
    OwnerId: managerId
  });
  ids.initech = r.create(admin, 'Account', { Name: 'Initech', OwnerId: repId, AnnualRevenue: 5e6 });
  ids.contact = r.create(admin, 'Contact', {
    FirstName: 'Ann',
    LastName: 'Smith',
    AccountId: ids.acme
  });
  ids.journey = r.create(admin, 'CX_Journey__c', { Name: 'Onboarding', Key__c: 'ONB' });
  ids.welcome = r.create(admin, 'CX_Touchpoint__c', {
    Name: 'Welcome call',
    Key__c: 'ONB-WELCOME',
    Stage__c: 'Onboarding',
    Stage_Order__c: 1,
    Channels__c: 'Phone;Email',
    Journey__c: ids.journey,
    Brand_Promise__c: 80
  });
  ids.portal = r.create(admin, 'CX_Touchpoint__c', {
    Name: 'Portal sign-up',
    Key__c: 'ONB-PORTAL',
    Stage__c: 'Onboarding',
    Stage_Order__c: 2,
    Channels__c: 'Web',
    Journey__c: ids.journey
  });
  const perception = (
    n: number,
    account: string,
    touchpoint: string,
    p: number | null,
    e: number | null,
    at: string
  ) =>
    r.create(admin, 'CX_Perception__c', {
      Account__c: account,
      Touchpoint__c: touchpoint,
      Channel__c: touchpoint === ids.portal ? 'Web' : 'Phone',
      Occurred_At__c: at,
      Source__c: 'Import',
      Response_Id__c: `R-${n}`,
      NPS__c: n % 11,
      Perception__c: p,
      Expectation__c: e
    });
  ids.p1 = perception(1, ids.acme, ids.welcome, 70, 80, '2026-11-14T09:00:00Z');
  ids.p2 = perception(2, ids.acme, ids.portal, 90, 60, '2026-10-02T09:00:00Z');
  ids.p3 = perception(3, ids.globex, ids.welcome, 50, null, '2026-11-15T08:00:00Z');
  ids.p4 = perception(4, ids.initech, ids.portal, null, 75, '2025-06-30T22:30:00Z');
  ids.deal = r.create(admin, 'Opportunity', {
    Name: 'Big deal',
    AccountId: ids.acme,
    StageName: 'Prospecting',
    CloseDate: '2026-12-01'
  });
  ids.callBack = r.create(admin, 'Task', {
    Subject: 'Call back',
    WhatId: ids.acme,
    WhoId: ids.contact,
    Status: 'Not Started'
  });
  ids.quote = r.create(admin, 'Task', {
    Subject: 'Send quote',
    WhatId: ids.deal,
    Status: 'Completed'
  });
  return { core, ids };
}
