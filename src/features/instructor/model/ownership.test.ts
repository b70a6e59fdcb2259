import { PostgrestError } from '@supabase/supabase-js';
import { expect, test } from 'vitest';
import { authorLabel, isNotQuestionEditorError, ownershipNote, ownershipOf } from '@/features/instructor/model/ownership';

const authors = [
  { author_id: 'me', display_name: 'Dr Me', can_edit: true, is_me: true },
  { author_id: 'named-me', display_name: 'Dr Named Me', can_edit: true, is_me: false },
  { author_id: 'stranger', display_name: 'Dr X', can_edit: false, is_me: false },
];

test('ownership: mine, an author who named me, someone else, the Rounds bank', () => {
  const cases = [ownershipOf('me', authors), ownershipOf('named-me', authors), ownershipOf('stranger', authors), ownershipOf(null, authors)];
  expect(cases.map((o) => [o.canEdit, authorLabel(o), ownershipNote(o)])).toEqual([
    [true, 'You', 'Your question.'],
    [true, 'Dr Named Me', 'By Dr Named Me — you are one of their editors.'],
    [false, 'Dr X', 'By Dr X — read only. Ask them to add you as an editor.'],
    [false, 'Rounds bank', 'Rounds bank — read only. The Rounds team maintains these questions.'],
  ]);
  // An author the (minute-old) list does not know yet is not assumed editable.
  expect(ownershipOf('new-author', authors).canEdit).toBe(false);
});

test('a refusal because the instructor is not (or no longer) an editor is recognised by its code', () => {
  const refused = new PostgrestError({
    code: 'not_question_editor',
    message: "Only the question's author or its editors can change it.",
    details: '',
    hint: 'Ask its author to add you as an editor.',
  });
  expect(isNotQuestionEditorError(refused)).toBe(true);
  expect(isNotQuestionEditorError(new PostgrestError({ code: 'editor_not_found', message: 'No instructor has the email a@b.c.', details: '', hint: '' }))).toBe(false);
});
