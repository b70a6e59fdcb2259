/**
 * GIFT (docs.moodle.org "GIFT format"; Moodle's question/format/gift/format.php) → Rounds questions,
 * the multiple-choice subset:
 *
 *   // comment lines
 *   $CATEGORY: $course$/top/Cardiovascular/Pharmacology
 *
 *   ::Title:: [html]Stem text {
 *     =right answer #feedback
 *     ~wrong answer
 *     ~%-25%penalised wrong answer
 *     ####general feedback (→ explanation)
 *   }
 *
 * Questions are separated by blank lines and may span several lines. `\~ \= \# \{ \} \: \\` are literal
 * characters and `\n` a new line. `[html]`, `[moodle]` (the default: plain text that may hold HTML),
 * `[plain]` and `[markdown]` set how the text is read. Text after the closing brace makes a
 * "missing word" question: the stem gets a blank (_____) where the braces were. Skipped, with reasons:
 * true/false, short answer, numerical, matching, essay, descriptions, several right answers and partial
 * credit. Per-answer feedback has no place in Rounds and is noted.
 */
import {
  categorySegments,
  finishQuestion,
  htmlPart,
  isSkip,
  type BankParse,
  type PartDraft,
} from '@/features/instructor/model/bank-question';
import { looksLikeHtml } from '@/features/instructor/model/html-text';

// Escaped characters are swapped for private-use code points while the structure is read.
const ESCAPES: Record<string, string> = { '~': '\uE010', '=': '\uE011', '#': '\uE012', '{': '\uE013', '}': '\uE014', ':': '\uE015', '\\': '\uE016' };
const UNESCAPE = new Map(Object.entries(ESCAPES).map(([c, p]) => [p, c]));
const protect = (s: string) => s.replace(/\\([~=#{}:\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : (ESCAPES[c] ?? c)));
const restore = (s: string) => s.replace(/[\uE010-\uE016]/g, (p) => UNESCAPE.get(p) ?? p);

const FORMATS = ['html', 'moodle', 'plain', 'markdown'] as const;
type TextFormat = (typeof FORMATS)[number];
const toFormat = (s: string | undefined): TextFormat => FORMATS.find((f) => f === s?.toLowerCase()) ?? 'moodle';
const FORMAT = /^\s*\[(html|moodle|plain|markdown)\]/i;

function readText(raw: string, format: TextFormat, notes: string[], label: string): PartDraft {
  const text = restore(raw);
  if (format === 'html' || (format === 'moodle' && looksLikeHtml(text))) {
    const part = htmlPart(format === 'moodle' ? text.replace(/\n/g, '<br>') : text, () => null, notes, label);
    return { text: part.text, media: part.media };
  }
  return {
    text: text
      .split('\n')
      .map((l) => l.trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    media: [],
  };
}

/** One answer's text, with its own format tag if it has one (else the question's). */
function answerText(raw: string, format: TextFormat, notes: string[], label: string): PartDraft {
  const own = FORMAT.exec(raw);
  return readText(own ? raw.slice(own[0].length) : raw, own ? toFormat(own[1]) : format, notes, label);
}

interface Block {
  line: number;
  text: string;
}

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((line, i) => {
      if (/^\s*\/\//.test(line)) return;
      if (line.trim() === '') {
        current = null;
        return;
      }
      if (!current) {
        current = { line: i + 1, text: line };
        blocks.push(current);
      } else current.text += `\n${line}`;
    });
  return blocks;
}

/** GIFT text → questions and skipped questions (GIFT has no file-level structure to be malformed). */
export function parseGift(text: string): BankParse {
  const result: BankParse = { questions: [], skipped: [] };
  let category: string[] = [];
  let n = 0;
  for (const block of blocksOf(text)) {
    let body = protect(block.text);
    const cat = /^\s*\$CATEGORY:\s*(.*)$/m.exec(body);
    if (cat && body.trimStart().startsWith('$CATEGORY:')) {
      category = categorySegments(restore(cat[1] ?? ''));
      body = body.slice((cat.index ?? 0) + cat[0].length);
      if (body.trim() === '') continue;
    }
    n++;
    const where = `question ${n} (line ${block.line})`;
    const titleMatch = /^\s*::([\s\S]*?)::/.exec(body);
    const title = titleMatch ? restore(titleMatch[1] ?? '').trim() || null : null;
    if (titleMatch) body = body.slice(titleMatch[0].length);
    const skip = (reason: string) => result.skipped.push({ where, title, reason });

    const formatMatch = FORMAT.exec(body);
    const format = toFormat(formatMatch?.[1]);
    if (formatMatch) body = body.slice(formatMatch[0].length);

    const open = body.indexOf('{');
    if (open < 0) {
      skip('It has no answers in { … } (a GIFT description is not a question).');
      continue;
    }
    const close = body.indexOf('}', open);
    if (close < 0) {
      skip('Its answer block "{" is never closed with "}".');
      continue;
    }
    const before = body.slice(0, open).trim();
    const after = body.slice(close + 1).trim();
    let answers = body.slice(open + 1, close);
    const inner = answers.trim();
    if (inner === '') {
      skip('Essay questions ({}) are not supported; Rounds imports single-answer multiple choice.');
      continue;
    }
    if (/^(T|F|TRUE|FALSE)\s*(#|$)/i.test(inner)) {
      skip('True/false questions are not supported; Rounds questions have five choices.');
      continue;
    }
    if (inner.startsWith('#')) {
      skip('Numerical questions are not supported; Rounds imports single-answer multiple choice.');
      continue;
    }
    if (inner.includes('->')) {
      skip('Matching questions are not supported; Rounds imports single-answer multiple choice.');
      continue;
    }
    const notes: string[] = [];
    let explanation: PartDraft | null = null;
    const general = answers.indexOf('####');
    if (general >= 0) {
      explanation = readText(answers.slice(general + 4), format, notes, 'Explanation');
      answers = answers.slice(0, general);
    }
    const lead = answers.trim().charAt(0);
    if (lead !== '=' && lead !== '~') {
      skip(`Its answers must start with "=" or "~", found "${restore(answers.trim().slice(0, 20))}".`);
      continue;
    }
    const parsed = [...answers.matchAll(/([=~])(?:%(-?\d+(?:\.\d+)?)%)?([^=~]*)/g)].map((m) => {
      const [textPart = '', ...feedback] = (m[3] ?? '').split('#');
      const weight = m[2] === undefined ? (m[1] === '=' ? 100 : 0) : Number(m[2]);
      return { marker: m[1], weight, text: textPart, feedback: feedback.join('#').trim() };
    });
    if (!parsed.some((a) => a.marker === '~')) {
      skip('Short-answer questions (only "=" answers) are not supported; Rounds imports single-answer multiple choice.');
      continue;
    }
    const full = parsed.flatMap((a, i) => (a.weight >= 99.99 ? [i] : []));
    const partial = parsed.filter((a) => a.weight > 0 && a.weight < 99.99);
    if (partial.length > 1 && full.length === 0) {
      skip('It is a multiple-answer question (several answers give credit); Rounds questions have one correct choice.');
      continue;
    }
    if (partial.length > 0) {
      skip(`It gives partial credit (${partial.map((a) => `${a.weight}%`).join(', ')}); Rounds questions have one correct choice.`);
      continue;
    }
    if (full.length !== 1) {
      skip(full.length === 0 ? 'No answer is marked right with "=".' : `${full.length} answers are right; Rounds questions have one correct choice.`);
      continue;
    }
    if (parsed.some((a) => a.feedback !== '')) notes.push('Per-choice feedback (#…) is not imported (Rounds has one explanation per question).');
    const stem = readText(after ? `${before} _____ ${after}` : before, format, notes, 'Stem');
    const done = finishQuestion({
      where,
      title,
      stem,
      choices: parsed.map((a, i) => answerText(a.text, format, notes, `Choice ${i + 1}`)),
      correct: full[0] ?? -1,
      explanation: explanation && (explanation.text || explanation.media.length) ? explanation : null,
      names: category,
      notes,
    });
    if (isSkip(done)) result.skipped.push(done);
    else result.questions.push(done);
  }
  return result;
}
