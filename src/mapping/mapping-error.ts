/** One problem in a mapping file, at a 1-based line and column. */
export interface MappingIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** `file:line:col: message`, one issue a line, as compilers print them (editors make them clickable). */
export function formatIssues(issues: readonly MappingIssue[]): string {
  return issues.map((issue) => `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`).join('\n');
}

/** Issues in file order, so the first one printed is the first one to fix. */
export function sortIssues(issues: readonly MappingIssue[]): MappingIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Thrown by the mapping loader: everything wrong with the file at once, never a partial mapping. */
export class MappingError extends Error {
  readonly code = 'MAPPING_INVALID';
  readonly issues: readonly MappingIssue[];

  constructor(issues: readonly MappingIssue[]) {
    const sorted = sortIssues(issues);
    super(`Invalid mapping file:\n${formatIssues(sorted)}`);
    this.name = 'MappingError';
    this.issues = sorted;
  }

  format(): string {
    return formatIssues(this.issues);
  }
}
