import { formatIssues, type MappingIssue, sortIssues } from '../mapping/mapping-error.js';

/** Thrown by the configuration loader: every problem of the file at once, each at its line and column. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly issues: readonly MappingIssue[];

  constructor(issues: readonly MappingIssue[]) {
    const sorted = sortIssues(issues);
    super(`Invalid configuration file:\n${formatIssues(sorted)}`);
    this.name = 'ConfigError';
    this.issues = sorted;
  }

  format(): string {
    return formatIssues(this.issues);
  }
}
