/**
 * Test data for the UI API and GraphQL tests, written through the record
 * layer of a running fixture org: accounts owned by the rep and the
 * manager, a journey with touchpoints, perceptions on both accounts.
 */
import type { LocalOrgCore } from '../core';

export function seedFixtureData(core: LocalOrgCore): Record<string, string> {
  const admin = core.context('admin');
  const r = core.records;
  const repId = core.users.get('rep')!.userId;
  const managerId = core.users.get('manager')!.userId;
  const ids: Record<string, string> = {};
  ids.acme = r.create(admin, 'Account', { Name: 'Acme', Industry: 'Retail', OwnerId: repId });
  ids.globex = r.create(admin, 'Account', { Name: 'Globex', OwnerId: managerId });
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
  ids.store = r.create(admin, 'CX_Touchpoint__c', {
    Name: 'Store visit',
    Key__c: 'BUY-STORE',
    Stage__c: 'Purchase',
    Channels__c: 'Store;Web'
  });
  const perception = (n: number, account: string, touchpoint: string, at: string) =>
    r.create(admin, 'CX_Perception__c', {
      Account__c: account,
      Touchpoint__c: touchpoint,
      Channel__c: touchpoint === ids.portal ? 'Web' : 'Phone',
      Occurred_At__c: at,
      Source__c: 'Import',
      Response_Id__c: `R-${n}`,
      NPS__c: n,
      Perception__c: 50 + n,
      Expectation__c: 60
    });
  ids.p1 = perception(1, ids.acme, ids.welcome, '2026-11-14T09:00:00Z');
  ids.p2 = perception(2, ids.acme, ids.portal, '2026-10-02T09:00:00Z');
  ids.p3 = perception(3, ids.globex, ids.welcome, '2026-11-15T08:00:00Z');
  return ids;
}
