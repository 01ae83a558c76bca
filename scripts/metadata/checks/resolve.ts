import { findField, findObject } from '../forceApp';
import type { FieldDef, ObjectDef, ProjectSchema } from '../types';

/**
 * Resolves `Object.Field` or `Object.Parent__r.Field`; returns what is wrong, or undefined.
 * Polymorphic relationships stop the walk: their target is only known per record.
 */
export function resolvePath(schema: ProjectSchema, parts: string[]): string | undefined {
  const [objectName = '', ...rest] = parts;
  const obj = findObject(schema, objectName);
  if (!obj) return `object ${objectName} is not in force-app or config/standard-objects.json`;
  return resolveOn(schema, obj, rest);
}

export function resolveOn(
  schema: ProjectSchema,
  start: ObjectDef,
  rest: string[]
): string | undefined {
  let obj = start;
  for (let i = 0; i < rest.length; i++) {
    const segment = rest[i] ?? '';
    if (i === rest.length - 1) {
      return findField(obj, segment) ? undefined : `${obj.name} has no field ${segment}`;
    }
    const ref = parentRelationship(obj, segment);
    if (!ref) return `${obj.name} has no relationship ${segment}`;
    const targets = ref.referenceTo ?? [];
    if (targets.length !== 1) return undefined;
    const next = findObject(schema, targets[0] ?? '');
    if (!next) return `${obj.name}.${ref.name} points to ${targets[0]}, which is not in the schema`;
    obj = next;
  }
  return undefined;
}

/**
 * The lookup field behind a parent relationship. A custom lookup `Journey__c` is reached as
 * `Journey__r`; a standard one by its relationship name (`AccountId` as `Account`). In the
 * schema a custom field's relationshipName is its child side (see `FieldDef`).
 */
export function parentRelationship(obj: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return obj.fields.find((f) => {
    if (f.referenceTo === undefined) return false;
    if (f.name.endsWith('__c'))
      return lower.endsWith('__r') && f.name.toLowerCase() === `${lower.slice(0, -3)}__c`;
    return f.relationshipName?.toLowerCase() === lower;
  });
}

/**
 * The object on the child side of a custom child relationship (`Touchpoints__r` under
 * CX_Journey__c: the relationshipName of a custom lookup plus `__r`). Standard child
 * relationships (`Contacts`) are not in the schema: undefined.
 */
export function childLink(
  schema: ProjectSchema,
  parent: ObjectDef,
  name: string
): { child: ObjectDef; field: FieldDef } | undefined {
  const lower = name.toLowerCase();
  if (!lower.endsWith('__r')) return undefined;
  for (const obj of schema.objects.values()) {
    const field = obj.fields.find(
      (f) =>
        f.name.endsWith('__c') &&
        `${f.relationshipName ?? ''}__r`.toLowerCase() === lower &&
        (f.referenceTo ?? []).some((r) => r.toLowerCase() === parent.name.toLowerCase())
    );
    if (field) return { child: obj, field };
  }
  return undefined;
}

export function childObject(
  schema: ProjectSchema,
  parent: ObjectDef,
  name: string
): ObjectDef | undefined {
  return childLink(schema, parent, name)?.child;
}
