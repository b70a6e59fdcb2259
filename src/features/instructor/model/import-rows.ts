/**
 * Turns an import file (CSV or Aiken) into import_questions rows and checks them locally with the
 * editor's schema, so the instructor sees every problem, with where it is, before anything is sent.
 * The server validates again and imports all rows or none.
 */
import Papa from 'papaparse';
import { parseAiken } from '@/features/instructor/model/aiken';
import { questionFieldsSchema, splitTags } from '@/features/instructor/model/question';
import type { BankParse, BankSkip } from '@/features/instructor/model/bank-question';
import { bankImagePlan, type BankImagePlan } from '@/features/instructor/model/bank-images';

export type ImportFormat = 'csv' | 'aiken';

export interface ImportRow {
  /** Where the question is in the file, for messages: "line 7" (Aiken) or "row 3" (CSV). */
  where: string;
  /** The fields the file gave; missing ones come from the import defaults. */
  fields: Record<string, unknown>;
}

export interface ImportIssue {
  /** 1-based question number in the file (= import_questions' row), or null for file-level problems. */
  row: number | null;
  where: string;
  message: string;
}

export interface ParsedImport {
  rows: ImportRow[];
  issues: ImportIssue[];
}

const REQUIRED_CSV_COLUMNS = ['stem', 'choice_a', 'choice_b', 'choice_c', 'choice_d', 'choice_e', 'correct_choice'];

/**
 * CSV with a header row (REQUIRED_CSV_COLUMNS and optionally explanation, organ_system, discipline,
 * difficulty, tags; any order, case-insensitive). Empty optional cells are left out so the import
 * defaults apply; tags are separated by ";" or ",".
 */
export function parseCsvQuestions(text: string): ParsedImport {
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const issues: ImportIssue[] = [];
  const header = result.meta.fields ?? [];
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return { rows: [], issues: [{ row: null, where: 'header', message: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` }] };
  }
  for (const e of result.errors) {
    const row = e.row === undefined ? null : e.row + 1;
    issues.push({ row, where: row === null ? 'file' : `row ${row}`, message: e.message });
  }
  const rows = result.data.map((record, i): ImportRow => {
    const cell = (name: string) => (record[name] ?? '').trim();
    const fields: Record<string, unknown> = {
      stem: cell('stem'),
      choices: [cell('choice_a'), cell('choice_b'), cell('choice_c'), cell('choice_d'), cell('choice_e')],
      correct_choice: cell('correct_choice').toUpperCase(),
    };
    for (const name of ['explanation', 'organ_system', 'discipline'] as const) if (cell(name) !== '') fields[name] = cell(name);
    if (cell('difficulty') !== '') fields.difficulty = Number(cell('difficulty'));
    if (cell('tags') !== '') fields.tags = splitTags(cell('tags').replace(/;/g, ','));
    return { where: `row ${i + 1}`, fields };
  });
  return { rows, issues };
}

/** Aiken text → rows (stem, choices, key only: the rest comes from the defaults). */
export function parseAikenQuestions(text: string): ParsedImport {
  const { questions, problems } = parseAiken(text);
  return {
    rows: questions.map((q) => ({ where: `line ${q.line}`, fields: { stem: q.stem, choices: q.choices, correct_choice: q.correct_choice } })),
    issues: problems.map((p) => ({ row: p.question, where: `line ${p.line}`, message: p.message })),
  };
}

/**
 * Checks each row with the defaults applied, as the server will. A parse problem and a field problem of
 * the same question are both reported. Rows are numbered by their position among the parsed rows.
 */
export function validateImportRows(rows: ImportRow[], defaults: Record<string, unknown>): ImportIssue[] {
  const issues: ImportIssue[] = [];
  rows.forEach((r, i) => {
    const parsed = questionFieldsSchema.safeParse({ difficulty: 3, tags: [], ...defaults, ...r.fields });
    if (parsed.success) return;
    for (const issue of parsed.error.issues) issues.push({ row: i + 1, where: r.where, message: issue.message });
  });
  return issues;
}

export function parseImport(format: ImportFormat, text: string): ParsedImport {
  return format === 'csv' ? parseCsvQuestions(text) : parseAikenQuestions(text);
}

/** One question of a bank file as the preview lists it. */
export interface BankPreviewItem {
  where: string;
  title: string | null;
  stem: string;
  organ_system: string | null;
  discipline: string | null;
  tags: string[];
  /** The images the question will get once created, and those it cannot take. */
  images: BankImagePlan;
  notes: string[];
}

export interface BankPreview {
  /** What import_questions will get, in file order. */
  rows: ImportRow[];
  creating: BankPreviewItem[];
  skipped: BankSkip[];
  /** Images the questions to create will get (attached after import_questions created them). */
  images: number;
  /** Of those, the ones the file gave no alt text: they get a generated one the author should replace. */
  imagesWithoutAlt: number;
}

const DEFAULTABLE: Record<string, string> = {
  organ_system: 'No organ system: none of its categories or keywords names one — choose a default organ system below.',
  discipline: 'No discipline: none of its categories or keywords names one — choose a default discipline below.',
  explanation: 'No explanation: the file has none for it — write an explanation placeholder below.',
};

/**
 * A parsed bank file → what will be created and what will be skipped, with the import defaults applied
 * the way the server applies them. A question that the editor's checks refuse (a stem under 20
 * characters, a missing organ system with no default…) is skipped with those checks' words.
 */
export function previewBank(parse: BankParse, defaults: Record<string, unknown>): BankPreview {
  const preview: BankPreview = { rows: [], creating: [], skipped: [...parse.skipped], images: 0, imagesWithoutAlt: 0 };
  for (const q of parse.questions) {
    const fields: Record<string, unknown> = { stem: q.stem, choices: q.choices, correct_choice: q.correct_choice, tags: q.tags };
    for (const name of ['explanation', 'organ_system', 'discipline'] as const) if (q[name] !== undefined) fields[name] = q[name];
    const merged = { difficulty: 3, ...defaults, ...fields };
    const checked = questionFieldsSchema.safeParse(merged);
    if (!checked.success) {
      const reasons = checked.error.issues.map((i) => {
        const field = String(i.path[0] ?? '');
        return fields[field] === undefined && defaults[field] === undefined ? (DEFAULTABLE[field] ?? i.message) : i.message;
      });
      preview.skipped.push({ where: q.where, title: q.title, reason: [...new Set(reasons)].join(' ') });
      continue;
    }
    preview.rows.push({ where: q.where, fields });
    const images = bankImagePlan(q);
    preview.images += images.images.length;
    preview.imagesWithoutAlt += images.images.filter((i) => i.altGenerated).length;
    preview.creating.push({
      where: q.where,
      title: q.title,
      stem: q.stem,
      organ_system: checked.data.organ_system,
      discipline: checked.data.discipline,
      tags: q.tags,
      images,
      notes: q.notes,
    });
  }
  preview.skipped.sort((a, b) => whereOrder(a.where) - whereOrder(b.where));
  return preview;
}

const whereOrder = (where: string) => Number(/\d+/.exec(where)?.[0] ?? 0);
