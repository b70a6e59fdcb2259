/**
 * A parser for Moodle's Aiken format (docs/prior-art.md#aiken-format): per question, the stem (one or more lines),
 * then choices `A) …` or `A. …`, then `ANSWER: X`; questions are separated by blank lines. Rounds'
 * questions have exactly five choices (A–E), so other counts are reported as errors. Pure: text in,
 * questions and problems (with 1-based line numbers) out.
 */
import { CHOICES, isChoice, type Choice } from '@/lib/taxonomy';

export interface AikenQuestion {
  /** Line of the stem's first line. */
  line: number;
  stem: string;
  choices: string[];
  correct_choice: Choice;
}

export interface AikenProblem {
  /** 1-based position of the question in the file. */
  question: number;
  line: number;
  message: string;
}

export interface AikenResult {
  questions: AikenQuestion[];
  problems: AikenProblem[];
}

const CHOICE = /^([A-Za-z])[.)]\s+(.*\S)\s*$/;
const ANSWER = /^ANSWER:\s*(\S*)\s*$/i;

interface Block {
  start: number;
  lines: { n: number; text: string }[];
}

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/^\uFEFF/, '');
    if (line.trim() === '') {
      current = null;
      return;
    }
    if (!current) {
      current = { start: i + 1, lines: [] };
      blocks.push(current);
    }
    current.lines.push({ n: i + 1, text: line.trim() });
  });
  return blocks;
}

export function parseAiken(text: string): AikenResult {
  const questions: AikenQuestion[] = [];
  const problems: AikenProblem[] = [];

  blocksOf(text).forEach((block, index) => {
    const question = index + 1;
    const problem = (line: number, message: string) => problems.push({ question, line, message });
    const stem: string[] = [];
    const choices: string[] = [];
    let answer: { n: number; letter: string } | undefined;
    let broken = false;

    for (const { n, text: line } of block.lines) {
      if (answer) {
        problem(n, `Unexpected text after the ANSWER line (line ${answer.n}); separate questions with a blank line.`);
        broken = true;
        break;
      }
      const answerMatch = ANSWER.exec(line);
      if (answerMatch) {
        answer = { n, letter: (answerMatch[1] ?? '').toUpperCase() };
        continue;
      }
      const choiceMatch = CHOICE.exec(line);
      if (choiceMatch && (choices.length > 0 || stem.length > 0)) {
        const letter = (choiceMatch[1] ?? '').toUpperCase();
        const expected = CHOICES[choices.length];
        if (letter !== expected) {
          problem(n, expected ? `Expected choice ${expected}, found ${letter}.` : `Too many choices: ${letter} is a sixth choice (Rounds uses A to E).`);
          broken = true;
          break;
        }
        choices.push(choiceMatch[2] ?? '');
        continue;
      }
      if (choices.length > 0) {
        problem(n, `Expected the next choice (e.g. "${CHOICES[choices.length] ?? 'F'}) …") or "ANSWER: X", found "${line.slice(0, 40)}".`);
        broken = true;
        break;
      }
      stem.push(line);
    }
    if (broken) return;

    const lastLine = block.lines.at(-1)?.n ?? block.start;
    if (stem.length === 0) {
      problem(block.start, 'The question has no stem before its choices.');
      return;
    }
    if (choices.length === 0) {
      problem(block.start, 'The question has no choices ("A) …" to "E) …").');
      return;
    }
    if (choices.length !== CHOICES.length) {
      problem(lastLine, `The question has ${choices.length} choices; Rounds needs exactly 5 (A to E).`);
      return;
    }
    if (!answer) {
      problem(lastLine, 'Missing the "ANSWER: X" line after the choices.');
      return;
    }
    if (!isChoice(answer.letter)) {
      problem(answer.n, answer.letter === '' ? 'The ANSWER line names no choice.' : `ANSWER ${answer.letter} is not one of the choices A to E.`);
      return;
    }
    questions.push({ line: block.start, stem: stem.join('\n'), choices, correct_choice: answer.letter });
  });

  return { questions, problems };
}
