/**
 * Moodle XML (docs.moodle.org "Moodle XML format"; Moodle's question/format/xml/format.php is the
 * reference implementation) ↔ Rounds questions.
 *
 * Import: `<quiz>` of `<question type="…">`. Rounds takes `multichoice` with `<single>true</single>`
 * (Moodle's default when the element is missing), exactly one answer with fraction 100 (written "100",
 * "100.0000000"…; other answers 0 or a negative penalty) and five answers. `<questiontext>`,
 * `<answer>` and `<generalfeedback>` carry `format` html | moodle_auto_format | plain_text | markdown;
 * their images are `<file name=… path=… encoding="base64">` children referenced from the HTML as
 * `@@PLUGINFILE@@/name` (URL-encoded). `<question type="category">` sets the category of the questions
 * after it (`$course$/top/A/B`, "/" inside a name written "//"); its segments and the question's
 * `<tags>` become Rounds' organ system / discipline where they name one, else tags. Every other type is
 * skipped with its reason. Answer numbering, shuffling, penalties, grades and per-answer feedback have
 * no Rounds equivalent and are ignored (per-answer feedback is noted).
 *
 * Export: the same shape, one category per organ system / discipline, tags in `<tags>`, images as
 * base64 `<file>`s in the part they belong to.
 */
import { CHOICES, disciplineLabel, organSystemLabel } from '@/lib/taxonomy';
import { cdata, childElements, escapeXml, firstChild, parseXml, textContent, XmlError, type XmlElement } from '@/lib/xml';
import {
  BankFileError,
  categorySegments,
  finishQuestion,
  fromBase64,
  htmlPart,
  imageMimeType,
  isSkip,
  toBase64,
  type BankParse,
  type PartDraft,
  type QuestionMedia,
} from '@/features/instructor/model/bank-question';
import { textToHtml } from '@/features/instructor/model/html-text';

const TYPE_NAMES: Record<string, string> = {
  truefalse: 'True/false',
  shortanswer: 'Short-answer',
  essay: 'Essay',
  numerical: 'Numerical',
  match: 'Matching',
  multianswer: 'Embedded-answer (Cloze)',
  cloze: 'Embedded-answer (Cloze)',
  calculated: 'Calculated',
  calculatedsimple: 'Calculated',
  calculatedmulti: 'Calculated multichoice',
  randomsamatch: 'Random short-answer matching',
  ddwtos: 'Drag-and-drop into text',
  ddimageortext: 'Drag-and-drop onto image',
  ddmarker: 'Drag-and-drop markers',
  gapselect: 'Select missing words',
  ordering: 'Ordering',
};

function decodePluginFile(src: string): string | null {
  const m = /^@@PLUGINFILE@@(\/.*)$/.exec(src.trim());
  if (!m) return null;
  try {
    return decodeURIComponent(m[1] ?? '');
  } catch {
    return m[1] ?? '';
  }
}

/** One text part (questiontext, answer, generalfeedback) with its files. */
function readPart(el: XmlElement | undefined, notes: string[], label: string): PartDraft {
  if (!el) return { text: '', media: [] };
  const format = el.attrs.format ?? 'moodle_auto_format';
  const raw = textContent(firstChild(el, 'text'));
  const files = new Map<string, Omit<QuestionMedia, 'part' | 'alt'>>();
  for (const f of childElements(el, 'file')) {
    const name = (f.attrs.name ?? '').trim();
    const mimeType = imageMimeType(name);
    const bytes = (f.attrs.encoding ?? 'base64') === 'base64' ? fromBase64(textContent(f)) : null;
    if (!name) continue;
    if (!mimeType || !bytes) {
      notes.push(`${label}: file ${name} is not a supported image (PNG, JPEG, WebP); left out.`);
      continue;
    }
    files.set(`${f.attrs.path ?? '/'}${name}`.replace(/^\/*/, '/'), { name, mimeType, bytes });
  }
  if (format === 'plain_text' || format === 'markdown') {
    return { text: raw.trim(), media: [...files.values()] };
  }
  // moodle_auto_format: HTML allowed, and a plain newline is a line break.
  const html = format === 'moodle_auto_format' ? raw.replace(/\r?\n/g, '<br>') : raw;
  const referenced = new Set<string>();
  const part = htmlPart(
    html,
    (src) => {
      const key = decodePluginFile(src);
      const file = key === null ? undefined : files.get(key);
      if (key !== null && file) referenced.add(key);
      return file ?? null;
    },
    notes,
    label,
  );
  // Files no <img> points at still belong to the part (Moodle keeps them too).
  const rest = [...files.entries()].filter(([k]) => !referenced.has(k)).map(([, f]) => f);
  return { text: part.text, media: [...part.media, ...rest] };
}

/** Moodle XML text → questions and skipped questions; BankFileError when it is not a Moodle XML file. */
export function parseMoodleXml(text: string): BankParse {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw new BankFileError(`The file is not valid XML: ${error.message}.`);
    throw error;
  }
  const rootName = root.name.replace(/^.*:/, '');
  if (rootName === 'questestinterop') throw new BankFileError('This is a QTI 1.2 file. QTI 1.2 is not supported; export QTI 2.1 from your LMS and import the .zip package.');
  if (rootName === 'assessmentItem' || rootName === 'manifest') throw new BankFileError('This is a QTI file; import the whole QTI package (.zip) instead.');
  if (rootName !== 'quiz') throw new BankFileError(`This is not a Moodle XML file: its root element is <${root.name}>, not <quiz>.`);

  const result: BankParse = { questions: [], skipped: [] };
  let category: string[] = [];
  let n = 0;
  for (const q of childElements(root, 'question')) {
    const type = (q.attrs.type ?? '').trim().toLowerCase();
    if (type === 'category') {
      category = categorySegments(textContent(firstChild(q, 'category')));
      continue;
    }
    n++;
    const where = `question ${n}`;
    const title = textContent(firstChild(firstChild(q, 'name'), 'text')).trim() || null;
    const skip = (reason: string) => result.skipped.push({ where, title, reason });
    if (type === 'description') {
      skip('It is a description (text between questions), not a question.');
      continue;
    }
    if (type !== 'multichoice') {
      const kind = TYPE_NAMES[type];
      skip(kind ? `${kind} questions are not supported; Rounds imports single-answer multiple choice.` : `Question type "${type || 'unknown'}" is not supported; Rounds imports single-answer multiple choice.`);
      continue;
    }
    const single = textContent(firstChild(q, 'single')).trim().toLowerCase();
    if (single === 'false' || single === '0') {
      skip('It is a multiple-answer question (several choices can be right); Rounds questions have one correct choice.');
      continue;
    }
    const notes: string[] = [];
    const answers = childElements(q, 'answer');
    const fractions = answers.map((a) => Number.parseFloat(a.attrs.fraction ?? '0'));
    const full = fractions.flatMap((f, i) => (f >= 99.99 ? [i] : []));
    const partial = fractions.flatMap((f, i) => (f > 0 && f < 99.99 ? [i] : []));
    if (partial.length > 0) {
      skip(`It gives partial credit (${partial.map((i) => `${fractions[i]}%`).join(', ')}); Rounds questions have one correct choice.`);
      continue;
    }
    if (full.length !== 1) {
      skip(full.length === 0 ? 'No answer has fraction 100, so there is no correct choice.' : `${full.length} answers have fraction 100; Rounds questions have one correct choice.`);
      continue;
    }
    if (answers.some((a) => textContent(firstChild(firstChild(a, 'feedback'), 'text')).trim() !== '')) {
      notes.push('Per-choice feedback is not imported (Rounds has one explanation per question).');
    }
    const feedback = firstChild(q, 'generalfeedback');
    const explanation = readPart(feedback, notes, 'Explanation');
    const tagList = firstChild(q, 'tags');
    const tags = tagList ? childElements(tagList, 'tag').map((t) => textContent(firstChild(t, 'text') ?? t).trim()) : [];
    const done = finishQuestion({
      where,
      title,
      stem: readPart(firstChild(q, 'questiontext'), notes, 'Stem'),
      choices: answers.map((a, i) => readPart(a, notes, `Choice ${CHOICES[i] ?? i + 1}`)),
      correct: full[0] ?? -1,
      explanation: explanation.text || explanation.media.length ? explanation : null,
      names: [...category, ...tags],
      notes,
    });
    if (isSkip(done)) result.skipped.push(done);
    else result.questions.push(done);
  }
  return result;
}

/** A question to export: Rounds' fields, and its images when it has any. */
export interface ExportQuestion {
  id?: number;
  stem: string;
  choices: string[];
  correct_choice: string;
  explanation: string;
  organ_system: string;
  discipline: string;
  tags: string[];
  media?: QuestionMedia[];
}

/** The HTML of a part with its images appended, and its <file> elements (for Moodle's @@PLUGINFILE@@). */
function moodlePart(text: string, media: QuestionMedia[], inline: boolean): { html: string; files: string } {
  const imgs = media.map((m) => `<img src="@@PLUGINFILE@@/${escapeXml(encodeURIComponent(m.name))}" alt="${escapeXml(m.alt ?? '')}">`);
  const html = textToHtml(text, inline) + (imgs.length ? (inline ? `<br/>${imgs.join(' ')}` : `<p>${imgs.join(' ')}</p>`) : '');
  const files = media.map((m) => `<file name="${escapeXml(m.name)}" path="/" encoding="base64">${toBase64(m.bytes)}</file>`).join('');
  return { html, files };
}

/** Rounds questions → a Moodle XML file (Moodle 4.x imports it with "Get category from file"). */
export function toMoodleXml(questions: ExportQuestion[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<quiz>'];
  let lastCategory = '';
  questions.forEach((q, index) => {
    const media = q.media ?? [];
    const inPart = (part: string) => media.filter((m) => m.part === part);
    const category = `$course$/top/${organSystemLabel(q.organ_system).replace(/\//g, '//')}/${disciplineLabel(q.discipline).replace(/\//g, '//')}`;
    if (category !== lastCategory) {
      out.push(`  <question type="category">`, `    <category><text>${escapeXml(category)}</text></category>`, `  </question>`);
      lastCategory = category;
    }
    const firstLine = q.stem.split('\n')[0] ?? '';
    const name = `${q.id === undefined ? `Question ${index + 1}` : `Rounds ${q.id}`}: ${firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine}`;
    const stem = moodlePart(q.stem, inPart('stem'), false);
    const explanation = moodlePart(q.explanation, inPart('explanation'), false);
    out.push(
      `  <question type="multichoice">`,
      `    <name><text>${escapeXml(name)}</text></name>`,
      `    <questiontext format="html"><text>${cdata(stem.html)}</text>${stem.files}</questiontext>`,
      `    <generalfeedback format="html"><text>${cdata(explanation.html)}</text>${explanation.files}</generalfeedback>`,
      `    <defaultgrade>1.0000000</defaultgrade>`,
      `    <penalty>0.3333333</penalty>`,
      `    <hidden>0</hidden>`,
      `    <single>true</single>`,
      `    <shuffleanswers>true</shuffleanswers>`,
      `    <answernumbering>ABCD</answernumbering>`,
    );
    q.choices.forEach((c, i) => {
      const letter = CHOICES[i] ?? '';
      const part = moodlePart(c, inPart(letter), true);
      out.push(
        `    <answer fraction="${letter === q.correct_choice ? '100' : '0'}" format="html">`,
        `      <text>${cdata(part.html)}</text>${part.files}`,
        `      <feedback format="html"><text></text></feedback>`,
        `    </answer>`,
      );
    });
    if (q.tags.length) out.push(`    <tags>${q.tags.map((t) => `<tag><text>${cdata(t)}</text></tag>`).join('')}</tags>`);
    out.push(`  </question>`);
  });
  out.push('</quiz>', '');
  return out.join('\n');
}
