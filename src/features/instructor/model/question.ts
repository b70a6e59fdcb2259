/**
 * The question as the editor and the importers see it, with the same limits as the table's checks and
 * private.question_field_errors(), so most mistakes are caught before a round trip. The server stays the
 * authority and validates again.
 */
import { z } from 'zod';
import { mediaItemSchema, questionMediaSchema, type MediaItem } from '@/lib/question-media';
import { CHOICES } from '@/lib/taxonomy';

export const ORGAN_SYSTEMS = [
  'cardiovascular',
  'respiratory',
  'renal',
  'gastrointestinal',
  'endocrine',
  'reproductive',
  'musculoskeletal',
  'nervous',
  'hematology_oncology',
  'skin',
  'psychiatry',
  'immune',
  'multisystem',
] as const;
export const DISCIPLINES = [
  'anatomy',
  'physiology',
  'biochemistry',
  'pathology',
  'pharmacology',
  'microbiology',
  'immunology',
  'genetics',
  'behavioral_science',
] as const;

const text = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? `${label} cannot be empty` : `${label} must be at least ${min} characters`)
    .max(max, `${label} must be at most ${max} characters`);

/** The editable fields of a question (what update_question, the insert and import_questions accept). */
export const questionFieldsSchema = z.object({
  stem: text('The stem', 20, 6000),
  choices: z.tuple([
    text('Choice A', 1, 1000),
    text('Choice B', 1, 1000),
    text('Choice C', 1, 1000),
    text('Choice D', 1, 1000),
    text('Choice E', 1, 1000),
  ]),
  correct_choice: z.enum(CHOICES, { error: 'Pick the correct choice (A to E)' }),
  explanation: text('The explanation', 1, 10000),
  organ_system: z.enum(ORGAN_SYSTEMS, { error: 'Pick an organ system' }),
  discipline: z.enum(DISCIPLINES, { error: 'Pick a discipline' }),
  difficulty: z.number().int().min(1, 'Difficulty is 1 to 5').max(5, 'Difficulty is 1 to 5'),
  tags: z.array(text('A tag', 1, 50)).max(20, 'At most 20 tags'),
});
export type QuestionFields = z.infer<typeof questionFieldsSchema>;
export type QuestionField = keyof QuestionFields;

/** A stored question row (select * / the 409's details / update_question's answer). */
export const questionRowSchema = z.object({
  id: z.coerce.number().int(),
  stem: z.string(),
  choices: z.array(z.string()),
  correct_choice: z.string().transform((s) => s.trim()),
  explanation: z.string(),
  organ_system: z.string(),
  discipline: z.string(),
  difficulty: z.coerce.number().int(),
  tags: z.array(z.string()),
  version: z.coerce.number().int(),
  published: z.boolean(),
  /** The author; null for the Rounds bank (seeded questions, changed only by the service role). */
  created_by: z.string().nullable(),
  updated_at: z.string(),
  /** Its images (decision 025), saved through update_question like the fields above. */
  media: questionMediaSchema,
});
export type QuestionRow = z.infer<typeof questionRowSchema>;
export const QUESTION_COLUMNS =
  'id, stem, choices, correct_choice, explanation, organ_system, discipline, difficulty, tags, version, published, created_by, updated_at, media';

/** What the editor's form holds: every field as typed, validated by questionFieldsSchema on save. */
export interface QuestionDraft {
  stem: string;
  choices: [string, string, string, string, string];
  correct_choice: string;
  explanation: string;
  organ_system: string;
  discipline: string;
  difficulty: number;
  /** Comma-separated, as typed. */
  tags: string;
  published: boolean;
}

export const emptyDraft = (): QuestionDraft => ({
  stem: '',
  choices: ['', '', '', '', ''],
  correct_choice: '',
  explanation: '',
  organ_system: '',
  discipline: '',
  difficulty: 3,
  tags: '',
  published: false,
});

export const draftFromRow = (row: QuestionRow): QuestionDraft => ({
  stem: row.stem,
  choices: [row.choices[0] ?? '', row.choices[1] ?? '', row.choices[2] ?? '', row.choices[3] ?? '', row.choices[4] ?? ''],
  correct_choice: row.correct_choice,
  explanation: row.explanation,
  organ_system: row.organ_system,
  discipline: row.discipline,
  difficulty: row.difficulty,
  tags: row.tags.join(', '),
  published: row.published,
});

/** "a, b ,, c" → ["a", "b", "c"]. */
export const splitTags = (s: string): string[] =>
  s
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

/** The draft's fields in the shape the schema validates (tags split). */
export const draftToInput = (draft: QuestionDraft) => ({
  stem: draft.stem,
  choices: draft.choices,
  correct_choice: draft.correct_choice,
  explanation: draft.explanation,
  organ_system: draft.organ_system,
  discipline: draft.discipline,
  difficulty: draft.difficulty,
  tags: splitTags(draft.tags),
});

export const FIELD_LABELS: Record<QuestionField | 'published', string> = {
  stem: 'Stem',
  choices: 'Choices',
  correct_choice: 'Correct choice',
  explanation: 'Explanation',
  organ_system: 'Organ system',
  discipline: 'Discipline',
  difficulty: 'Difficulty',
  tags: 'Tags',
  published: 'Published',
};

const FIELDS: QuestionField[] = ['stem', 'choices', 'correct_choice', 'explanation', 'organ_system', 'discipline', 'difficulty', 'tags'];

/** A printable value of a field, for diffs. */
export function showField(fields: QuestionFields, field: QuestionField): string {
  switch (field) {
    case 'choices':
      return fields.choices.map((c, i) => `${CHOICES[i] ?? '?'}. ${c}`).join('\n');
    case 'tags':
      return fields.tags.join(', ');
    case 'difficulty':
      return String(fields.difficulty);
    default:
      return fields[field];
  }
}

/** The stored row's editable fields, normalised like the server stores them (trimmed). */
export function fieldsOfRow(row: QuestionRow): QuestionFields {
  return {
    stem: row.stem.trim(),
    choices: [row.choices[0] ?? '', row.choices[1] ?? '', row.choices[2] ?? '', row.choices[3] ?? '', row.choices[4] ?? ''],
    correct_choice: CHOICES.find((l) => l === row.correct_choice) ?? 'A',
    explanation: row.explanation.trim(),
    organ_system: ORGAN_SYSTEMS.find((s) => s === row.organ_system) ?? 'multisystem',
    discipline: DISCIPLINES.find((d) => d === row.discipline) ?? 'pathology',
    difficulty: row.difficulty,
    tags: row.tags,
  };
}

export interface FieldChange {
  field: QuestionField;
  label: string;
  before: string;
  after: string;
}

/** Fields whose values differ between `before` and `after`, in form order. */
export function diffFields(before: QuestionFields, after: QuestionFields): FieldChange[] {
  return FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => ({
    field: f,
    label: FIELD_LABELS[f],
    before: showField(before, f),
    after: showField(after, f),
  }));
}

/** Only the fields that changed, as update_question's p_changes. */
export function changedFields(before: QuestionFields, after: QuestionFields): Partial<QuestionFields> {
  const changes: Partial<QuestionFields> = {};
  for (const { field } of diffFields(before, after)) Object.assign(changes, { [field]: after[field] });
  return changes;
}

/**
 * The form's check of the images (the server checks again): errors keyed `media.<image id>.<field>`,
 * e.g. a missing alt text, so the form shows them next to the image and does not save.
 */
export function mediaErrors(media: readonly MediaItem[]): Partial<Record<string, string>> {
  const errors: Partial<Record<string, string>> = {};
  for (const item of media) {
    const parsed = mediaItemSchema.safeParse(item);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) errors[`media.${item.id}.${issue.path.join('.') || 'image'}`] ??= issue.message;
  }
  if (media.length > 10) errors['media'] = 'At most 10 images per question';
  return errors;
}
