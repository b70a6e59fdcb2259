import { expect, test } from 'vitest';
import type { BankQuestion, QuestionMedia } from '@/features/instructor/model/bank-question';
import { parseMoodleXml, toMoodleXml, type ExportQuestion } from '@/features/instructor/model/moodle-xml';
import { parseQtiPackage, toQtiPackage } from '@/features/instructor/model/qti';

const bytes = (seed: number, n: number) => new Uint8Array(n).map((_, i) => (i * 31 + seed * 17 + ((i * i) % 97)) & 0xff);
const media = (name: string, part: QuestionMedia['part'], seed: number, alt?: string): QuestionMedia => ({
  name,
  mimeType: name.endsWith('.jpg') ? 'image/jpeg' : 'image/png',
  bytes: bytes(seed, 300 + seed),
  ...(alt ? { alt } : {}),
  part,
});

const QUESTIONS: ExportQuestion[] = [
  {
    id: 41,
    stem: 'A 60-year-old man has crushing chest pain.\nHis troponin is 2.1 ng/mL & rising; K+ < 3.5 "low".\n\nWhich artery is most likely occluded? ]]> is not CDATA’s end here.',
    choices: ['Left anterior descending', 'Left circumflex', 'Right coronary', 'Posterior descending\nartery', 'Left main <stem>'],
    correct_choice: 'C',
    explanation: 'Inferior leads (II, III, aVF) → right coronary artery.\n\nSee the ECG.',
    organ_system: 'cardiovascular',
    discipline: 'anatomy',
    tags: ['STEMI', 'Week 1', 'pharmacology'],
    media: [
      media('ecg.png', 'stem', 1, 'ST elevation in II, III, aVF'),
      media('angio view.jpg', 'stem', 2, 'Angiogram'),
      media('rca.png', 'C', 3, 'Right coronary artery'),
      media('answer.png', 'explanation', 4),
    ],
  },
  {
    stem: 'Which enzyme is deficient in classic phenylketonuria (PKU)?',
    choices: ['Tyrosinase', 'Phenylalanine hydroxylase', 'Homogentisate oxidase', 'Fumarylacetoacetase', 'Dihydropteridine reductase'],
    correct_choice: 'B',
    explanation: 'Phenylalanine hydroxylase converts phenylalanine to tyrosine.',
    organ_system: 'multisystem',
    discipline: 'biochemistry',
    tags: [],
  },
];

function comparable(q: BankQuestion | ExportQuestion) {
  return {
    stem: q.stem,
    choices: q.choices,
    correct_choice: q.correct_choice,
    explanation: q.explanation,
    organ_system: q.organ_system,
    discipline: q.discipline,
    tags: q.tags,
    media: (q.media ?? []).map((m) => ({ name: m.name, mimeType: m.mimeType, bytes: m.bytes, alt: m.alt, part: m.part })),
  };
}

test('Moodle XML: export → import gives the same stems, choices, keys, explanations, taxonomy, tags and media', () => {
  const parsed = parseMoodleXml(toMoodleXml(QUESTIONS));
  expect(parsed.skipped).toEqual([]);
  expect(parsed.questions.map(comparable)).toEqual(QUESTIONS.map(comparable));
  expect(parsed.questions.map((q) => q.notes)).toEqual([[], []]);
});

test('QTI 2.1 package: export → import gives the same questions and media', async () => {
  const parsed = await parseQtiPackage(await toQtiPackage(QUESTIONS));
  expect(parsed.skipped).toEqual([]);
  expect(parsed.questions.map(comparable)).toEqual(QUESTIONS.map(comparable));
  expect(parsed.questions.map((q) => q.notes)).toEqual([[], []]);
});

test('the export names each question after its Rounds id and writes one category per taxonomy pair', () => {
  const xml = toMoodleXml(QUESTIONS);
  expect(xml).toContain('<name><text>Rounds 41: A 60-year-old man has crushing chest pain.</text></name>');
  expect(xml).toContain('<category><text>$course$/top/Cardiovascular/Anatomy</text></category>');
  expect(xml).toContain('<category><text>$course$/top/Multisystem/Biochemistry</text></category>');
  expect(xml).toContain('<img src="@@PLUGINFILE@@/angio%20view.jpg" alt="Angiogram">');
  expect(xml).toContain('<file name="angio view.jpg" path="/" encoding="base64">');
});
