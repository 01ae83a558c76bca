import * as path from 'node:path';
import { findField, findObject, PATHS } from '../forceApp';
import type { ObjectDef, ProjectSchema } from '../types';
import { listFiles, many, text, texts, type XmlNode } from '../xml';
import { isFinding, rel, schemaOrFinding, tryRead, type Finding } from './project';
import { childObject, parentRelationship } from './resolve';

/**
 * Report types, reports and dashboards name objects and fields by strings that only a deploy
 * would check: report type tables and columns exist, reports use a report type of the package
 * and only its columns, dashboards show reports that exist and columns those reports can have.
 */
export function checkReports(root: string): Finding[] {
  const base = path.join(root, PATHS.packaged);
  const typeFiles = listFiles(path.join(base, 'reportTypes'), '.reportType-meta.xml');
  const reportFiles = listFiles(path.join(base, 'reports'), '.report-meta.xml');
  const dashboardFiles = listFiles(path.join(base, 'dashboards'), '.dashboard-meta.xml');
  if (typeFiles.length + reportFiles.length + dashboardFiles.length === 0) return [];
  const schema = schemaOrFinding(root);
  if (isFinding(schema)) return [schema];
  const findings: Finding[] = [];

  /** Report type name (as reports name it, `X__c`) → its columns as `table$field`, lower case. */
  const reportTypes = new Map<string, Set<string>>();
  for (const file of typeFiles) {
    const xml = tryRead(file, 'ReportType');
    if (!xml) continue;
    const name = `${path.basename(file, '.reportType-meta.xml')}__c`;
    reportTypes.set(name.toLowerCase(), reportTypeColumns(schema, xml, rel(root, file), findings));
  }

  /** Report `Folder/Name` → the columns its report type offers. */
  const reports = new Map<string, Set<string> | undefined>();
  for (const file of reportFiles) {
    const xml = tryRead(file, 'Report');
    if (!xml) continue;
    const shown = rel(root, file);
    const id = path
      .relative(path.join(base, 'reports'), file)
      .split(path.sep)
      .join('/')
      .replace(/\.report-meta\.xml$/, '');
    const type = text(xml, 'reportType') ?? '';
    const columns = reportTypes.get(type.toLowerCase());
    reports.set(id, columns);
    if (!columns) {
      if (type.endsWith('__c')) {
        findings.push({ file: shown, message: `uses report type ${type}, which does not exist` });
      }
      continue;
    }
    for (const column of reportColumns(xml)) {
      if (column.includes('$') && !columns.has(column.toLowerCase())) {
        findings.push({ file: shown, message: `column ${column} is not in report type ${type}` });
      }
    }
  }

  for (const file of dashboardFiles) {
    const xml = tryRead(file, 'Dashboard');
    if (!xml) continue;
    const shown = rel(root, file);
    for (const component of dashboardComponents(xml)) {
      const report = text(component, 'report');
      if (!report) continue;
      if (!reports.has(report)) {
        findings.push({ file: shown, message: `shows report ${report}, which does not exist` });
        continue;
      }
      const columns = reports.get(report);
      if (!columns) continue;
      const named = [
        ...many(component.chartSummary).map((s) => text(s, 'column') ?? ''),
        ...texts(component, 'groupingColumn')
      ];
      for (const column of named) {
        if (column.includes('$') && !columns.has(column.toLowerCase())) {
          findings.push({
            file: shown,
            message: `column ${column} of report ${report} is not in its report type`
          });
        }
      }
    }
  }
  return findings;
}

function reportTypeColumns(
  schema: ProjectSchema,
  xml: XmlNode,
  file: string,
  findings: Finding[]
): Set<string> {
  const columns = new Set<string>();
  const baseName = text(xml, 'baseObject') ?? '';
  const baseObject = findObject(schema, baseName);
  if (!baseObject) {
    findings.push({ file, message: `base object ${baseName} is not in the schema` });
    return columns;
  }
  const tables = new Map<string, ObjectDef | undefined>();
  const tableObject = (table: string): ObjectDef | undefined => {
    if (tables.has(table)) return tables.get(table);
    const [first = '', ...joins] = table.split('.');
    let obj: ObjectDef | undefined =
      first.toLowerCase() === baseName.toLowerCase() ? baseObject : undefined;
    for (const join of joins) {
      // A standard child relationship (Contacts) is not in the schema: its columns go unchecked.
      if (obj && !join.endsWith('__r')) {
        tables.set(table, undefined);
        return undefined;
      }
      obj = obj && childObject(schema, obj, join);
    }
    if (!obj) {
      findings.push({ file, message: `table ${table} is not ${baseName} or a relationship of it` });
    }
    tables.set(table, obj);
    return obj;
  };
  for (const section of many(xml.sections)) {
    for (const column of many(section.columns)) {
      const table = text(column, 'table') ?? '';
      const field = text(column, 'field') ?? '';
      columns.add(`${table}$${field}`.toLowerCase());
      const obj = tableObject(table);
      if (!obj) continue;
      const problem = fieldPathProblem(schema, obj, field.split('.'));
      if (problem) findings.push({ file, message: `column ${table}.${field}: ${problem}` });
    }
  }
  return columns;
}

/** Report type fields follow lookups by the lookup field's name (`Account__c.Name`). */
function fieldPathProblem(
  schema: ProjectSchema,
  start: ObjectDef,
  parts: string[]
): string | undefined {
  let obj = start;
  for (let i = 0; i < parts.length; i++) {
    const segment = parts[i] ?? '';
    if (i === parts.length - 1) {
      return findField(obj, segment) ? undefined : `${obj.name} has no field ${segment}`;
    }
    const lookup = findField(obj, segment) ?? parentRelationship(obj, segment);
    if (!lookup?.referenceTo?.length) return `${obj.name}.${segment} is not a lookup`;
    if (lookup.referenceTo.length !== 1) return undefined;
    const next = findObject(schema, lookup.referenceTo[0] ?? '');
    if (!next)
      return `${obj.name}.${segment} points to ${lookup.referenceTo[0]}, which is not in the schema`;
    obj = next;
  }
  return undefined;
}

/** Every column a report names: columns, groupings, filters, time frame and sorting. */
function reportColumns(xml: XmlNode): string[] {
  const filter = (xml.filter ?? {}) as XmlNode;
  return [
    ...many(xml.columns).map((c) => text(c, 'field') ?? ''),
    ...many(xml.groupingsDown).map((g) => text(g, 'field') ?? ''),
    ...many(xml.groupingsAcross).map((g) => text(g, 'field') ?? ''),
    ...many(filter.criteriaItems).map((c) => text(c, 'column') ?? ''),
    text((xml.timeFrameFilter ?? {}) as XmlNode, 'dateColumn') ?? '',
    text(xml, 'sortColumn') ?? ''
  ].filter((c) => c);
}

function dashboardComponents(xml: XmlNode): XmlNode[] {
  const sections = ['leftSection', 'middleSection', 'rightSection'].flatMap((s) => many(xml[s]));
  return [
    ...sections.flatMap((s) => many(s.components)),
    ...many(xml.dashboardGridLayout).flatMap((g) =>
      many(g.dashboardGridComponents).map((c) => (c.dashboardComponent ?? {}) as XmlNode)
    )
  ];
}
