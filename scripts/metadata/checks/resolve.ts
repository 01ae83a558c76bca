import { findField, findObject } from '../forceApp';
import type { ObjectDef, ProjectSchema } from '../types';

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

export function parentRelationship(obj: ObjectDef, name: string) {
  const lower = name.toLowerCase();
  return obj.fields.find(
    (f) =>
      f.referenceTo !== undefined &&
      (f.relationshipName?.toLowerCase() === lower ||
        (lower.endsWith('__r') && f.name.toLowerCase() === `${lower.slice(0, -3)}__c`))
  );
}

/** The object on the child side of a child relationship (`Touchpoints__r` under CX_Journey__c). */
export function childObject(
  schema: ProjectSchema,
  parent: ObjectDef,
  name: string
): ObjectDef | undefined {
  const lower = name.toLowerCase().replace(/__r$/, '');
  for (const obj of schema.objects.values()) {
    const link = obj.fields.find(
      (f) =>
        f.relationshipName?.toLowerCase() === lower &&
        (f.referenceTo ?? []).some((r) => r.toLowerCase() === parent.name.toLowerCase())
    );
    if (link) return obj;
  }
  return undefined;
}
