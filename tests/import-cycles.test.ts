/**
 * No import cycles in src/, type-only imports included. ESLint's import-x/no-cycle (eslint.config.js)
 * follows runtime edges only — it skips `import type` by design — yet the cycle issue #16 named
 * (quiz/api/mutations.ts ↔ quiz/model/player-session.ts) ran through an `import type`: two modules that
 * need each other's shapes are one module, or their shared part belongs below both. This scans every
 * module's imports with the TypeScript compiler's own pre-processor and fails on any strongly connected
 * group of files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = path.join(src, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null; // css, json, virtual modules
}

/** Groups of files that import each other, directly or around a loop (Tarjan's algorithm). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).includes(v);
      if (group.length > 1 || selfLoop) found.push(group.map((f) => path.relative(root, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('src has no import cycles, counting type-only imports', () => {
  const files = sourceFiles(src);
  const graph = new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = importedFiles.map((f) => resolve(file, f.fileName)).filter((t): t is string => t !== null);
      return [file, targets];
    }),
  );
  expect(files.length).toBeGreaterThan(100);
  expect(cycles(graph)).toEqual([]);
});

test('the scan sees a cycle through `import type` (the kind lint misses)', () => {
  const a = path.join(src, 'a.ts');
  const b = path.join(src, 'b.ts');
  const graph = new Map([
    [a, [b]],
    [b, [a]],
  ]);
  expect(cycles(graph)).toEqual([['src/a.ts', 'src/b.ts']]);
  // And the pre-processor reports type-only imports as imports.
  const { importedFiles } = ts.preProcessFile("import type { X } from './b';\nexport type Y = X;", true, true);
  expect(importedFiles.map((f) => f.fileName)).toEqual(['./b']);
});
