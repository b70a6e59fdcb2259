import { expect, test } from 'vitest';
import { parseCsvQuestions, validateImportRows, parseAikenQuestions } from '@/features/instructor/model/import-rows';

const header = 'stem,choice_a,choice_b,choice_c,choice_d,choice_e,correct_choice,explanation,organ_system,discipline,difficulty,tags';
const stem = 'A 30-year-old woman has fatigue and pallor, with a low MCV. What is the cause?';

test('CSV rows become import rows; quoted commas and newlines survive; empty cells are left to the defaults', () => {
  const csv = `${header}\n"${stem}","Iron, deficiency",B,C,D,E,a,"Line one\nline two",hematology_oncology,pathology,2,"anemia; iron"\n"${stem}",A,B,C,D,E,B,,,,,\n`;
  const { rows, issues } = parseCsvQuestions(csv);
  expect(issues).toEqual([]);
  expect(rows).toEqual([
    {
      where: 'row 1',
      fields: {
        stem,
        choices: ['Iron, deficiency', 'B', 'C', 'D', 'E'],
        correct_choice: 'A',
        explanation: 'Line one\nline two',
        organ_system: 'hematology_oncology',
        discipline: 'pathology',
        difficulty: 2,
        tags: ['anemia', 'iron'],
      },
    },
    { where: 'row 2', fields: { stem, choices: ['A', 'B', 'C', 'D', 'E'], correct_choice: 'B' } },
  ]);
  expect(validateImportRows(rows, { explanation: 'See the lecture.', organ_system: 'renal', discipline: 'physiology' })).toEqual([]);
});

test('a CSV without the required columns is refused as a whole', () => {
  expect(parseCsvQuestions('question,answer\nx,y\n')).toEqual({
    rows: [],
    issues: [{ row: null, where: 'header', message: 'Missing columns: stem, choice_a, choice_b, choice_c, choice_d, choice_e, correct_choice.' }],
  });
});

test('field problems are reported per row with where they are', () => {
  const csv = `${header}\nToo short,A,B,C,D,E,F,x,renal,pathology,9,\n`;
  const issues = validateImportRows(parseCsvQuestions(csv).rows, {});
  expect(issues.map((i) => [i.row, i.where])).toEqual(Array.from({ length: 3 }, () => [1, 'row 1']));
  expect(issues.map((i) => i.message)).toEqual([
    'The stem must be at least 20 characters',
    'Pick the correct choice (A to E)',
    'Difficulty is 1 to 5',
  ]);
});

test('Aiken rows take explanation and taxonomy from the defaults; without them every row is reported', () => {
  const aiken = `${stem}\nA) Iron deficiency\nB) B12 deficiency\nC) Folate deficiency\nD) Hemolysis\nE) Thalassemia minor\nANSWER: A\n`;
  const { rows, issues } = parseAikenQuestions(aiken);
  expect(issues).toEqual([]);
  expect(validateImportRows(rows, { explanation: 'Explained in class.', organ_system: 'hematology_oncology', discipline: 'pathology' })).toEqual([]);
  expect(validateImportRows(rows, {}).map((i) => [i.row, i.where])).toEqual([
    [1, 'line 1'],
    [1, 'line 1'],
    [1, 'line 1'],
  ]);
});
