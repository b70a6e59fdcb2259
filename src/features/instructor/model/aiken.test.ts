import { expect, test } from 'vitest';
import { parseAiken } from '@/features/instructor/model/aiken';

const good = `What is the most common cause of community-acquired pneumonia in adults?
A) Streptococcus pneumoniae
B) Haemophilus influenzae
C) Mycoplasma pneumoniae
D) Legionella pneumophila
E) Staphylococcus aureus
ANSWER: A

Which enzyme is deficient in classic phenylketonuria?
A. Tyrosinase
B. Phenylalanine hydroxylase
C. Homogentisate oxidase
D. Fumarylacetoacetase
E. Dihydropteridine reductase
ANSWER: B
`;

test('parses questions with ")" and "." choices, separated by blank lines', () => {
  const { questions, problems } = parseAiken(good);
  expect(problems).toEqual([]);
  expect(questions).toEqual([
    {
      line: 1,
      stem: 'What is the most common cause of community-acquired pneumonia in adults?',
      choices: ['Streptococcus pneumoniae', 'Haemophilus influenzae', 'Mycoplasma pneumoniae', 'Legionella pneumophila', 'Staphylococcus aureus'],
      correct_choice: 'A',
    },
    expect.objectContaining({ line: 9, correct_choice: 'B', choices: expect.arrayContaining(['Phenylalanine hydroxylase']) }),
  ]);
});

test('a stem may span several lines; CRLF line endings and a BOM are accepted', () => {
  const text = '\uFEFFA 4-year-old boy has a barking cough.\r\nWhat is the most likely cause?\r\nA) Parainfluenza virus\r\nB) RSV\r\nC) Adenovirus\r\nD) Influenza\r\nE) Rhinovirus\r\nanswer: a\r\n';
  const { questions, problems } = parseAiken(text);
  expect(problems).toEqual([]);
  expect(questions[0]).toMatchObject({ stem: 'A 4-year-old boy has a barking cough.\nWhat is the most likely cause?', correct_choice: 'A' });
});

test('a missing ANSWER line is reported at the question\'s last line', () => {
  const text = good.replace('ANSWER: B\n', '');
  const { questions, problems } = parseAiken(text);
  expect(questions).toHaveLength(1);
  expect(problems).toEqual([{ question: 2, line: 14, message: 'Missing the "ANSWER: X" line after the choices.' }]);
});

test('four choices, choices out of order, a sixth choice and an unknown answer letter are errors with their lines', () => {
  const text = [
    'Question one has only four choices here?', // 1
    'A) a',
    'B) b',
    'C) c',
    'D) d', // 5
    'ANSWER: A',
    '',
    'Question two skips a letter in its choices?', // 8
    'A) a',
    'C) c', // 10
    'ANSWER: A',
    '',
    'Question three has six choices in total?', // 13
    'A) a',
    'B) b',
    'C) c',
    'D) d',
    'E) e',
    'F) f', // 19
    'ANSWER: A',
    '',
    'Question four answers with a letter that is not there?', // 22
    'A) a',
    'B) b',
    'C) c',
    'D) d',
    'E) e',
    'ANSWER: G', // 28
  ].join('\n');
  const { questions, problems } = parseAiken(text);
  expect(questions).toEqual([]);
  expect(problems).toEqual([
    { question: 1, line: 6, message: 'The question has 4 choices; Rounds needs exactly 5 (A to E).' },
    { question: 2, line: 10, message: 'Expected choice B, found C.' },
    { question: 3, line: 19, message: 'Too many choices: F is a sixth choice (Rounds uses A to E).' },
    { question: 4, line: 28, message: 'ANSWER G is not one of the choices A to E.' },
  ]);
});

test('text between choices, text after ANSWER and a block without choices are errors', () => {
  const text = [
    'Stem of the first question goes here?', // 1
    'A) a',
    'this line is not a choice', // 3
    '',
    'Stem of the second question goes here?', // 5
    'A) a',
    'B) b',
    'C) c',
    'D) d',
    'E) e',
    'ANSWER: C',
    'A stray line right after the answer', // 12
    '',
    'Just a sentence with no choices at all.', // 14
  ].join('\n');
  const { problems } = parseAiken(text);
  expect(problems.map((p) => [p.question, p.line])).toEqual([
    [1, 3],
    [2, 12],
    [3, 14],
  ]);
  expect(problems[2]?.message).toBe('The question has no choices ("A) …" to "E) …").');
});

test('an empty file has no questions and no problems', () => {
  expect(parseAiken('\n\n  \n')).toEqual({ questions: [], problems: [] });
});
