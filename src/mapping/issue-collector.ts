import type { MappingIssue } from './mapping-error.js';
import { describePath } from './validate-against-schema.js';
import type { DocumentPath, YamlSource } from './yaml-source.js';

/** Collects compiler issues as `path: message` at the position of that path in the file. */
export class IssueCollector {
  readonly issues: MappingIssue[] = [];

  constructor(private readonly source: YamlSource) {}

  /** `at: 'key'` points at the key naming the value (unknown attribute names, missing properties). */
  report(path: DocumentPath, message: string, at: 'key' | 'value' = 'value'): void {
    const where = describePath(path);
    this.issues.push(this.source.issueAt(path, where === '' ? message : `${where}: ${message}`, at));
  }

  /** The line of the key at `path`, to point from one issue to a related place. */
  lineOf(path: DocumentPath): number {
    return this.source.issueAt(path, '', 'key').line;
  }
}
