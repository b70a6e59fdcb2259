/**
 * Who owns a question and what the signed-in instructor may do with it, in the UI's words. The server
 * decides (docs/decisions/019): only the author or the author's editors change a question, and the
 * Rounds bank (questions without an author) is read-only to every instructor.
 */
import { hasErrorCode } from '@/lib/errors';

/** One row of get_question_authors. */
export interface AuthorInfo {
  author_id: string;
  display_name: string;
  can_edit: boolean;
  is_me: boolean;
}

export type Ownership =
  | { kind: 'mine'; canEdit: true }
  | { kind: 'editor'; canEdit: true; author: string }
  | { kind: 'other'; canEdit: false; author: string }
  | { kind: 'bank'; canEdit: false };

/** The ownership of a question written by `createdBy` (null: the Rounds bank). */
export function ownershipOf(createdBy: string | null, authors: readonly AuthorInfo[]): Ownership {
  if (createdBy === null) return { kind: 'bank', canEdit: false };
  const author = authors.find((a) => a.author_id === createdBy);
  if (author?.is_me) return { kind: 'mine', canEdit: true };
  // An author the server did not list (the list is a minute old) is treated as someone else's: the
  // server would refuse an edit anyway, and the next refetch corrects it.
  if (!author) return { kind: 'other', canEdit: false, author: 'another instructor' };
  return author.can_edit ? { kind: 'editor', canEdit: true, author: author.display_name } : { kind: 'other', canEdit: false, author: author.display_name };
}

/** Short, for the list's Author column. */
export function authorLabel(o: Ownership): string {
  switch (o.kind) {
    case 'mine':
      return 'You';
    case 'bank':
      return 'Rounds bank';
    default:
      return o.author;
  }
}

/** A sentence for the editor page: whose question it is and what the instructor can do about it. */
export function ownershipNote(o: Ownership): string {
  switch (o.kind) {
    case 'mine':
      return 'Your question.';
    case 'editor':
      return `By ${o.author} — you are one of their editors.`;
    case 'other':
      return `By ${o.author} — read only. Ask them to add you as an editor.`;
    case 'bank':
      return 'Rounds bank — read only. The Rounds team maintains these questions.';
  }
}

/** The 403 every edit path answers when the instructor may not change the question. */
export function isNotQuestionEditorError(error: unknown): boolean {
  return hasErrorCode(error, 'not_question_editor');
}
