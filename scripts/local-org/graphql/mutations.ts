/**
 * UI API GraphQL mutations (reference §7.1: `uiapi { AccountCreate(input:
 * {Account: {...}}) { Record { Id Name { value } } } }`, `...Update(input:
 * {Id, Account: {...}})`, `...Delete(input: {Id}) { Id }`), written through
 * the record layer. `uiapi(input: {allOrNone})` defaults to all or none: one
 * failure rolls every write of the request back.
 */
import type { FieldNode, OperationDefinitionNode } from 'graphql';
import type { LocalOrgCore } from '../core';
import { SfError } from '../errors';
import type { UserContext } from '../permissions';
import { toSfError } from '../records';
import type { OrgObject } from '../schema';
import {
  Executor,
  loc,
  type GqlError,
  type GraphQLResponse,
  type NodePlan,
  type Planner
} from './execute';

type Kind = 'Create' | 'Update' | 'Delete';

interface MutationPlan {
  key: string;
  node: FieldNode;
  kind: Kind;
  obj: OrgObject;
  id?: string;
  fields: Record<string, unknown>;
  /** Selections under the payload: Record (a node) or Id (deletes). */
  record?: { key: string; plan: NodePlan };
  idKeys: string[];
  typenameKeys: string[];
}

class Rollback extends Error {}

function plan(
  planner: Planner,
  m: FieldNode,
  core: LocalOrgCore,
  user: UserContext
): MutationPlan | undefined {
  const match = /^(.+)(Create|Update|Delete)$/.exec(m.name.value);
  const obj = match ? core.schema.get(match[1]!) : undefined;
  if (!match || !obj || obj.name !== match[1] || !user.permissions.object(obj).read) {
    planner.undefinedField(m, ['uiapi'], 'UIAPIMutations');
    return undefined;
  }
  const kind = match[2] as Kind;
  const input = planner.args(m).input as Record<string, unknown> | undefined;
  if (!input || typeof input !== 'object') {
    planner.fail(m, `Missing input for ${m.name.value}`);
    return undefined;
  }
  const id = typeof input.Id === 'string' ? input.Id : undefined;
  if (kind !== 'Create' && !id) {
    planner.fail(m, `${m.name.value} needs input.Id`);
    return undefined;
  }
  const fields = (input[obj.name] ?? {}) as Record<string, unknown>;
  if (kind !== 'Delete' && (typeof fields !== 'object' || Array.isArray(fields))) {
    planner.fail(m, `${m.name.value} needs input.${obj.name} with the record's fields`);
    return undefined;
  }
  const out: MutationPlan = {
    key: m.alias?.value ?? m.name.value,
    node: m,
    kind,
    obj,
    ...(id ? { id } : {}),
    fields,
    idKeys: [],
    typenameKeys: []
  };
  for (const f of planner.fields(m.selectionSet)) {
    const key = f.alias?.value ?? f.name.value;
    if (f.name.value === 'Record' && kind !== 'Delete') {
      out.record = {
        key,
        plan: planner.node(f.selectionSet, obj, ['uiapi', m.name.value, 'Record'])
      };
    } else if (f.name.value === 'Id' && kind === 'Delete') out.idKeys.push(key);
    else if (f.name.value === '__typename') out.typenameKeys.push(key);
    else planner.undefinedField(f, ['uiapi', m.name.value], `${m.name.value}Payload`);
  }
  return out;
}

export function executeMutation(
  core: LocalOrgCore,
  user: UserContext,
  planner: Planner,
  op: OperationDefinitionNode,
  version: string
): GraphQLResponse {
  const top: { key: string; allOrNone: boolean; plans: MutationPlan[] }[] = [];
  for (const f of planner.fields(op.selectionSet)) {
    if (f.name.value !== 'uiapi') {
      planner.undefinedField(f, [], 'Mutation');
      continue;
    }
    const input = planner.args(f).input as { allOrNone?: unknown } | undefined;
    const plans: MutationPlan[] = [];
    for (const m of planner.fields(f.selectionSet)) {
      const p = plan(planner, m, core, user);
      if (p) plans.push(p);
    }
    top.push({ key: f.alias?.value ?? 'uiapi', allOrNone: input?.allOrNone !== false, plans });
  }
  if (planner.errors.length > 0) return { data: null, errors: planner.errors };

  const errors: GqlError[] = [];
  const data: Record<string, unknown> = {};
  const exec = new Executor(core, user, version);
  for (const t of top) {
    const ids = new Map<MutationPlan, string>();
    const failed = new Map<MutationPlan, SfError>();
    const run = () => {
      for (const p of t.plans) {
        try {
          const id = core.records.transaction(() => {
            if (p.kind === 'Create') return core.records.create(user, p.obj.name, p.fields);
            if (p.kind === 'Update') return core.records.update(user, p.obj.name, p.id, p.fields);
            return core.records.delete(user, p.id, p.obj.name);
          });
          ids.set(p, id);
        } catch (err) {
          failed.set(p, toSfError(err));
        }
      }
      if (t.allOrNone && failed.size > 0) throw new Rollback();
    };
    try {
      core.records.transaction(run);
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
      ids.clear();
    }
    const out: Record<string, unknown> = {};
    for (const p of t.plans) {
      const err = failed.get(p);
      const id = ids.get(p);
      if (err || !id) {
        out[p.key] = null;
        errors.push({
          message: err
            ? err.message
            : 'Record rolled back because not all records were valid and the request was using AllOrNone',
          locations: [loc(p.node)],
          path: [t.key, p.key],
          extensions: {
            classification: 'DataFetchingException',
            errorCode: err ? err.errorCode : 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            ...(err?.fields?.length ? { fields: err.fields } : {})
          }
        });
        continue;
      }
      const payload: Record<string, unknown> = {};
      for (const k of p.typenameKeys) payload[k] = `${p.obj.name}${p.kind}Payload`;
      for (const k of p.idKeys) payload[k] = id;
      if (p.record) payload[p.record.key] = exec.record(p.record.plan, id);
      out[p.key] = payload;
    }
    data[t.key] = out;
  }
  return { data, errors };
}
