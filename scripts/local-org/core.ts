/**
 * The local org without its HTTP face: storage, schema, record layer, users
 * with their tokens and permissions, and the organization record. The HTTP
 * server, tests and tools all work through one LocalOrgCore.
 */
import { randomBytes } from 'node:crypto';
import type { PermissionSetDef, ProjectSchema } from '../metadata/types';
import { makeId } from './ids';
import { Permissions, type UserContext } from './permissions';
import {
  PersonAccountRules,
  enablePersonAccounts,
  personAccountsEnabled,
  withPersonAccounts
} from './personAccounts';
import { RecordService, type RecordServiceOptions } from './records';
import { OrgSchema, type OrgObject } from './schema';
import { executeQuery, type QueryOptions, type QueryResult } from './soql/engine';
import { Storage, type Row } from './storage';
import { defaultToStorage } from './values';

export const PERSONAS = ['admin', 'manager', 'rep', 'sync'] as const;
export type Persona = (typeof PERSONAS)[number];

export const ORG_TIME_ZONE = 'Europe/Amsterdam';

export interface LocalUser {
  persona: Persona;
  userId: string;
  username: string;
  accessToken: string;
}

export interface LocalOrgCoreOptions {
  /** SQLite file, or ':memory:'. */
  file: string;
  schema: ProjectSchema;
  now?: () => Date;
  rowFault?: RecordServiceOptions['rowFault'];
  /** Behave like an org with Person Accounts enabled (personAccounts.ts); once on, it stays on. */
  personAccounts?: boolean;
}

const DISPLAY: Record<Persona, { first: string; last: string }> = {
  admin: { first: 'Ada', last: 'Admin' },
  manager: { first: 'Maya', last: 'Manager' },
  rep: { first: 'Remy', last: 'Rep' },
  sync: { first: 'Sync', last: 'Integration' }
};

/** The permission sets of a persona: its force-app set and its unpackaged grants. */
export function personaPermissionSets(
  all: PermissionSetDef[],
  persona: Persona
): PermissionSetDef[] {
  if (persona === 'admin') return all;
  const cap = persona.charAt(0).toUpperCase() + persona.slice(1);
  const names = new Set(
    [`outside_in_${cap}`, `outside_in_${cap}_grants`].map((n) => n.toLowerCase())
  );
  return all.filter((ps) => names.has(ps.name.toLowerCase()));
}

export class LocalOrgCore {
  readonly storage: Storage;
  readonly schema: OrgSchema;
  readonly records: RecordService;
  readonly orgId: string;
  readonly users = new Map<Persona, LocalUser>();
  readonly timeZone = ORG_TIME_ZONE;
  /** Whether this org has Person Accounts. */
  readonly personAccounts: boolean;
  private readonly contexts = new Map<string, UserContext>();

  constructor(options: LocalOrgCoreOptions) {
    this.storage = new Storage(options.file);
    const prefixes = JSON.parse(this.storage.getMeta('prefixes') ?? '{}') as Record<string, string>;
    // An org cannot turn Person Accounts off again, and its data needs the fields.
    this.personAccounts = options.personAccounts === true || personAccountsEnabled(this.storage);
    const project = withPlatformObjects(options.schema);
    this.schema = new OrgSchema(
      this.personAccounts ? withPersonAccounts(project) : project,
      prefixes
    );
    this.storage.setMeta(
      'prefixes',
      JSON.stringify({ ...prefixes, ...this.schema.allocatedPrefixes })
    );
    this.storage.migrate(this.schema);
    if (this.personAccounts) enablePersonAccounts(this.storage, this.schema);
    this.records = new RecordService(this.storage, this.schema, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.rowFault ? { rowFault: options.rowFault } : {}),
      ...(this.personAccounts ? { hooks: new PersonAccountRules(this.schema) } : {})
    });
    this.storage.db.exec(
      'CREATE TABLE IF NOT EXISTS __users (persona TEXT PRIMARY KEY, userId TEXT NOT NULL, token TEXT NOT NULL)'
    );
    this.orgId = this.seedOrganization();
    this.seedUsers(options.schema.permissionSets);
    this.seedCustomMetadata(options.schema);
    this.refreshFormulas();
  }

  private object(name: string): OrgObject {
    const obj = this.schema.get(name);
    if (!obj) throw new Error(`The schema has no ${name} object`);
    return obj;
  }

  private seedOrganization(): string {
    const known = this.storage.getMeta('orgId');
    if (known) return known;
    const obj = this.object('Organization');
    const id = makeId('00D', 1);
    const now = new Date().toISOString();
    const values: Row = {
      Id: id,
      IsDeleted: 0,
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
      Name: 'Outside-In Local',
      InstanceName: 'LOCAL',
      IsSandbox: 0,
      TrialExpirationDate: null,
      NamespacePrefix: null,
      OrganizationType: 'Developer Edition',
      TimeZoneSidKey: ORG_TIME_ZONE,
      LanguageLocaleKey: 'en_US',
      DefaultLocaleSidKey: 'nl_NL'
    };
    this.storage.insert(obj, onlyColumns(obj, values));
    this.storage.setMeta('orgId', id);
    return id;
  }

  private seedUsers(permissionSets: PermissionSetDef[]): void {
    const obj = this.object('User');
    const known = new Map(
      (
        this.storage.all('SELECT persona, userId, token FROM __users') as unknown as {
          persona: Persona;
          userId: string;
          token: string;
        }[]
      ).map((r) => [r.persona, r])
    );
    for (const persona of PERSONAS) {
      const username = `${persona}@outside-in.local`;
      let entry = known.get(persona);
      if (!entry) {
        const userId = this.storage.newId(obj);
        const now = new Date().toISOString();
        const d = DISPLAY[persona];
        const row: Row = {
          Id: userId,
          IsDeleted: 0,
          CreatedDate: now,
          LastModifiedDate: now,
          SystemModstamp: now,
          Username: username,
          FirstName: d.first,
          LastName: d.last,
          Name: `${d.first} ${d.last}`,
          Email: username,
          Alias: persona.slice(0, 8),
          IsActive: 1,
          TimeZoneSidKey: ORG_TIME_ZONE,
          LanguageLocaleKey: 'en_US',
          LocaleSidKey: 'nl_NL'
        };
        for (const f of obj.fields) {
          if (!(f.name in row) && f.storage !== 'none') {
            const dv = defaultToStorage(f);
            if (dv !== undefined) row[f.name] = dv;
          }
        }
        this.storage.insert(obj, onlyColumns(obj, row));
        // The Salesforce CLI accepts tokens of the form 00D<org id>!<anything word-like>.
        const token = `${this.orgId}!${randomBytes(30)
          .toString('base64')
          .replace(/[^A-Za-z0-9]/g, '')}`;
        entry = { persona, userId, token };
        this.storage
          .stmt('INSERT INTO __users (persona, userId, token) VALUES (?, ?, ?)')
          .run(persona, userId, token);
      }
      this.users.set(persona, {
        persona,
        userId: entry.userId,
        username,
        accessToken: entry.token
      });
      const ctx: UserContext = {
        userId: entry.userId,
        username,
        persona,
        permissions: new Permissions(
          personaPermissionSets(permissionSets, persona),
          persona === 'admin'
        )
      };
      this.contexts.set(entry.token, ctx);
      this.contexts.set(`persona:${persona}`, ctx);
    }
  }

  /** Custom metadata records are replaced from the schema on every start (they are deployed, not data). */
  private seedCustomMetadata(project: ProjectSchema): void {
    const types = [...this.schema.objects.values()].filter((o) => o.customMetadata);
    this.storage.transaction(() => {
      for (const obj of types) {
        this.storage.db.exec(`DELETE FROM "${obj.name.replace(/"/g, '""')}"`);
        const records = project.customMetadata.filter(
          (r) => r.type.toLowerCase() === obj.name.toLowerCase()
        );
        records
          .sort((a, b) => a.developerName.localeCompare(b.developerName))
          .forEach((r, i) => {
            const now = new Date(0).toISOString();
            const row: Row = {
              Id: makeId(obj.keyPrefix, i + 1),
              IsDeleted: 0,
              CreatedDate: now,
              LastModifiedDate: now,
              SystemModstamp: now,
              DeveloperName: r.developerName,
              MasterLabel: r.label,
              Label: r.label,
              QualifiedApiName: r.developerName,
              NamespacePrefix: null,
              Language: 'en_US'
            };
            for (const [k, v] of Object.entries(r.values)) {
              const f = obj.fieldMap.get(k.toLowerCase());
              if (f) row[f.name] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
            }
            this.storage.insert(obj, onlyColumns(obj, row));
          });
      }
    });
  }

  /** Formula values are stored with the rows; a formula that changed since the last run is recomputed. */
  private refreshFormulas(): void {
    const known = JSON.parse(this.storage.getMeta('formulas') ?? '{}') as Record<string, string>;
    const current: Record<string, string> = {};
    for (const obj of this.schema.objects.values()) {
      let changed = false;
      for (const f of obj.fields) {
        if (!f.def.formula) continue;
        const key = `${obj.name}.${f.name}`;
        current[key] = f.def.formula;
        if (known[key] !== f.def.formula) changed = true;
      }
      if (changed) this.records.recomputeFormulas(obj);
    }
    this.storage.setMeta('formulas', JSON.stringify(current));
  }

  context(persona: Persona): UserContext {
    const ctx = this.contexts.get(`persona:${persona}`);
    if (!ctx) throw new Error(`No user for persona ${persona}`);
    return ctx;
  }

  contextForToken(token: string): UserContext | undefined {
    return this.contexts.get(token);
  }

  query(ctx: UserContext, soql: string, opts: Partial<QueryOptions> = {}): QueryResult {
    return executeQuery(this.records, ctx, soql, {
      version: opts.version ?? '62.0',
      timeZone: this.timeZone,
      ...(opts.all ? { all: true } : {})
    });
  }

  close(): void {
    this.storage.close();
  }
}

function onlyColumns(obj: OrgObject, row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    const f = obj.fieldMap.get(k.toLowerCase());
    if (f && f.storage !== 'none') out[f.name] = v;
  }
  return out;
}

/** User and Organization exist in every org, declared or not. */
function withPlatformObjects(project: ProjectSchema): ProjectSchema {
  const objects = new Map(project.objects);
  const base = { custom: false, customMetadata: false, validationRules: [] };
  if (![...objects.keys()].some((k) => k.toLowerCase() === 'organization')) {
    objects.set('Organization', {
      ...base,
      name: 'Organization',
      label: 'Organization',
      pluralLabel: 'Organizations',
      keyPrefix: '00D',
      fields: []
    });
  }
  if (![...objects.keys()].some((k) => k.toLowerCase() === 'user')) {
    const text = (name: string, label: string, length: number, required = false) => ({
      name,
      label,
      type: 'Text' as const,
      length,
      required,
      unique: false,
      caseSensitive: false,
      externalId: false
    });
    objects.set('User', {
      ...base,
      name: 'User',
      label: 'User',
      pluralLabel: 'Users',
      keyPrefix: '005',
      fields: [
        text('Username', 'Username', 80, true),
        text('FirstName', 'First Name', 40),
        text('LastName', 'Last Name', 80, true),
        { ...text('Name', 'Full Name', 121), type: 'Name' as const },
        { ...text('Email', 'Email', 128, true), type: 'Email' as const },
        text('Alias', 'Alias', 8),
        {
          ...text('IsActive', 'Active', 0),
          type: 'Checkbox' as const,
          defaultValue: 'true'
        },
        text('TimeZoneSidKey', 'Time Zone', 40),
        text('LanguageLocaleKey', 'Language', 40)
      ]
    });
  }
  return { ...project, objects };
}
