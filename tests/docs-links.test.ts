/**
 * Documentation the repository cites is in the repository.
 *
 * - Every file under src/, supabase/, scripts/, e2e/, tests/, docs/, .ci/ and the top-level files: a cited
 *   `docs/….md` exists, and so does the heading its `#anchor` names (GitHub's slugs); a cited decision
 *   record (`docs/decisions/NNN`, "decision NNN") exists; no citation of the notes that were never in the
 *   repo (they were replaced by docs/local-server.md, docs/offline-outbox.md and docs/prior-art.md).
 * - docs/*.md, docs/decisions/*.md and README.md: every repository path they cite (README.md, src/…,
 *   supabase/…, scripts/…, e2e/…, tests/…, public/…, docs/… with a file extension, a trailing slash or a
 *   glob) exists, and so do their relative Markdown links and anchors.
 * - Every decision record has `Date: YYYY-MM-DD` and `Status: accepted` or `Status: superseded by NNN`
 *   (optionally followed by `; …`) right under its title, and the records a status names exist.
 * Upstream files are cited as `owner/repo:path` or `owner/repo/path` (e.g. `TanStack/query:docs/…`):
 * a path preceded by `:`, `/`, `.` or a word character is someone else's and is not checked, nor are URLs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../supabase/local/config.ts';

const SCANNED_DIRS = ['src', 'supabase', 'scripts', 'e2e', 'tests', 'docs', '.ci'];
const SKIPPED_DIRS = new Set(['node_modules', '.data', 'dist', 'test-results', 'playwright-report']);
const TEXT_FILE = /(?:\.(?:ts|tsx|js|mjs|cjs|sql|md|toml|json|css|html|txt|ya?ml|sh)|\/run)$/;
const SELF = path.relative(repoRoot, import.meta.filename);

/** Repository-relative paths of the text files to scan. */
function scannedFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(repoRoot, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(child);
      } else if (TEXT_FILE.test(child) && child !== SELF) {
        out.push(child);
      }
    }
  };
  for (const dir of SCANNED_DIRS) if (existsSync(path.join(repoRoot, dir))) walk(dir);
  for (const entry of readdirSync(repoRoot, { withFileTypes: true })) {
    if (entry.isFile() && TEXT_FILE.test(entry.name) && entry.name !== 'package-lock.json') out.push(entry.name);
  }
  return out.sort();
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m?.[1]) continue;
    const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const isFile = (rel: string): boolean => existsSync(path.join(repoRoot, rel)) && statSync(path.join(repoRoot, rel)).isFile();
const isDir = (rel: string): boolean => existsSync(path.join(repoRoot, rel)) && statSync(path.join(repoRoot, rel)).isDirectory();

const decisionFiles = readdirSync(path.join(repoRoot, 'docs/decisions')).filter((f) => /^\d{3}-.+\.md$/.test(f));
const decisionExists = (num: string): boolean => decisionFiles.some((f) => f.startsWith(`${num}-`));

/** Problem with a `file.md#anchor` target (repository-relative), or undefined when it resolves. */
function checkDocTarget(target: string): string | undefined {
  const [file = '', anchor] = target.split('#');
  if (!isFile(file)) return `${file} does not exist`;
  if (anchor !== undefined && file.endsWith('.md') && !anchorsOf(readFileSync(path.join(repoRoot, file), 'utf8')).has(anchor)) {
    return `${file} has no heading for #${anchor}`;
  }
  return undefined;
}

/** Where `index` falls in `text`, as a 1-based line number. */
const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

// Not preceded by a path, URL or `owner/repo:` character, so upstream paths are left alone.
const NOT_UPSTREAM = String.raw`(?<![\w./:@#-])`;
const DOCS_REF = new RegExp(`${NOT_UPSTREAM}docs/[\\w./-]+(?:#[\\w-]+)?`, 'g');
const REPO_PATH = new RegExp(`${NOT_UPSTREAM}(?:README\\.md|(?:src|supabase|scripts|e2e|tests|public|docs)/[\\w./*-]+)(?:#[\\w-]+)?`, 'g');
const DECISION_NUMBER = /\b[Dd]ecisions? (\d{3})\b/g;
const MISSING_NOTES = /field[- ]notes|supabase-http-subset|shared\/docs|\bspec §/gi;
const MARKDOWN_LINK = /\]\(([^)\s]+)\)/g;

test('every cited docs/….md, anchor and decision record exists; nothing cites the notes that were never in the repo', () => {
  const problems: string[] = [];
  for (const rel of scannedFiles()) {
    const text = readFileSync(path.join(repoRoot, rel), 'utf8');
    for (const m of text.matchAll(DOCS_REF)) {
      const ref = m[0].replace(/\.+$/, '');
      const where = `${rel}:${lineAt(text, m.index)}`;
      const decision = /^docs\/decisions\/(\d{3})(?:$|-[^.#]*$)/.exec(ref);
      if (decision?.[1]) {
        if (!decisionExists(decision[1])) problems.push(`${where}: no decision record ${decision[1]} (${ref})`);
      } else if (/\.md(?:#|$)/.test(ref)) {
        const problem = checkDocTarget(ref);
        if (problem) problems.push(`${where}: ${problem} (${ref})`);
      } else if (ref.endsWith('/') && !isDir(ref)) {
        problems.push(`${where}: ${ref} does not exist`);
      }
    }
    for (const m of text.matchAll(DECISION_NUMBER)) {
      if (m[1] && !decisionExists(m[1])) problems.push(`${rel}:${lineAt(text, m.index)}: no decision record ${m[1]}`);
    }
    for (const m of text.matchAll(MISSING_NOTES)) {
      problems.push(`${rel}:${lineAt(text, m.index)}: cites "${m[0]}", which is not in the repository (see docs/)`);
    }
  }
  expect(problems).toEqual([]);
});

test('every repository path and relative link in docs/ and README.md exists', () => {
  const docs = ['README.md', ...scannedFiles().filter((f) => f.startsWith('docs/') && f.endsWith('.md'))];
  const problems: string[] = [];
  for (const rel of docs) {
    const text = readFileSync(path.join(repoRoot, rel), 'utf8');
    for (const m of text.matchAll(REPO_PATH)) {
      const ref = m[0].replace(/\.+$/, '');
      const where = `${rel}:${lineAt(text, m.index)}`;
      const [file = ''] = ref.split('#');
      const glob = file.indexOf('*');
      if (glob >= 0) {
        const dir = file.slice(0, file.lastIndexOf('/', glob) + 1);
        if (!isDir(dir)) problems.push(`${where}: ${dir} does not exist (${ref})`);
      } else if (file.endsWith('/')) {
        if (!isDir(file)) problems.push(`${where}: ${file} does not exist`);
      } else if (/\.\w+$/.test(path.posix.basename(file))) {
        // A path with an extension is a file; one without may be an upstream `owner/repo` and is skipped.
        const problem = file.endsWith('.md') ? checkDocTarget(ref) : isFile(file) ? undefined : `${file} does not exist`;
        if (problem) problems.push(`${where}: ${problem}`);
      }
    }
    for (const m of text.matchAll(MARKDOWN_LINK)) {
      const target = m[1] ?? '';
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
      const where = `${rel}:${lineAt(text, m.index)}`;
      const [file = '', anchor] = target.split('#');
      const resolved = file === '' ? rel : path.posix.normalize(path.posix.join(path.posix.dirname(rel), file));
      const problem = checkDocTarget(anchor === undefined ? resolved : `${resolved}#${anchor}`);
      if (problem && !(file.endsWith('/') && isDir(resolved))) problems.push(`${where}: link ${target}: ${problem}`);
    }
  }
  expect(problems).toEqual([]);
});

test('every decision record says when it was decided and whether it still holds', () => {
  expect(decisionFiles.length).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const f of decisionFiles) {
    const num = f.slice(0, 3);
    const [title = '', blank, date = '', status = ''] = readFileSync(path.join(repoRoot, 'docs/decisions', f), 'utf8').split('\n');
    if (!title.startsWith(`# ${num} `)) problems.push(`${f}: the first line is not "# ${num} — title"`);
    if (blank !== '') problems.push(`${f}: no blank line after the title`);
    const d = /^Date: (\d{4}-\d{2}-\d{2})$/.exec(date);
    if (!d?.[1] || Number.isNaN(Date.parse(`${d[1]}T00:00:00Z`)) || new Date(`${d[1]}T00:00:00Z`).toISOString().slice(0, 10) !== d[1]) {
      problems.push(`${f}: line 3 is not "Date: YYYY-MM-DD" (${date})`);
    }
    if (!/^Status: (?:accepted|superseded by \d{3})(?:;\s.+)?$/.test(status)) {
      problems.push(`${f}: line 4 is not "Status: accepted" or "Status: superseded by NNN" (${status})`);
    }
    for (const m of status.matchAll(/\b(?:superseded|extended|amended) by (\d{3})\b|\band (\d{3})\b/g)) {
      const other = m[1] ?? m[2] ?? '';
      if (!decisionExists(other)) problems.push(`${f}: its status names record ${other}, which does not exist`);
      else if (other <= num) problems.push(`${f}: its status names record ${other}, which is not a later record`);
    }
  }
  expect(problems).toEqual([]);
});
