import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { MappingIssue } from './mapping-error.js';

/** A location in the parsed document: object keys and array indices from the root. */
export type DocumentPath = readonly (string | number)[];

/**
 * A parsed YAML mapping file that can say where any value (or the key naming
 * it) sits, so every message points at a line and column.
 */
export interface YamlSource {
  readonly file: string;
  /** The document as plain data (anchors, aliases and `<<` merges resolved). */
  readonly data: unknown;
  /** Position of the value at `path`, or of its key when `at` is `key`; falls back to the nearest existing parent. */
  issueAt(path: DocumentPath, message: string, at?: 'key' | 'value'): MappingIssue;
}

function firstLine(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  return (cut < 0 ? (message.split('\n')[0] ?? message) : message.slice(0, cut)).trim();
}

export function parseYamlSource(text: string, file: string): { source?: YamlSource; issues: MappingIssue[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, merge: true, prettyErrors: true, uniqueKeys: true });
  const issues = document.errors.map((error) => {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 };
    return { file, line: position.line, column: position.col, message: `YAML: ${firstLine(error.message)}` };
  });
  if (issues.length > 0) return { issues };

  const positionOf = (offset: number): { line: number; column: number } => {
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };

  /** Walks `path`, returning the deepest node reached and the key node that named it. */
  const locate = (path: DocumentPath): { node: Node | null; key: Node | null } => {
    let node: Node | null = document.contents;
    let key: Node | null = null;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(step),
        );
        if (pair === undefined) break;
        key = isScalar(pair.key) ? pair.key : null;
        node = isNode(pair.value) ? pair.value : null;
        if (node === null) break;
      } else if (isSeq(node) && typeof step === 'number') {
        const item = node.items[step];
        if (!isNode(item)) break;
        key = null;
        node = item;
      } else {
        break;
      }
    }
    return { node, key };
  };

  const source: YamlSource = {
    file,
    data: document.toJS({ maxAliasCount: 1000 }),
    issueAt(path, message, at = 'value') {
      const { node, key } = locate(path);
      const target = at === 'key' && key !== null ? key : (node ?? key);
      const offset = target?.range?.[0] ?? 0;
      return { file, ...positionOf(offset), message };
    },
  };
  return { source, issues };
}
