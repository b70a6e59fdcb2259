import './instructor.css';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { importQuestionsMutationOptions, InvalidRowsError } from '@/features/instructor/api/import-questions';
import { attachBankImagesMutationOptions, type AttachProgress, type BankImageFailure, type CreatedBankQuestion, type HeldDraft } from '@/features/instructor/api/attach-bank-images';
import { parseImport, previewBank, validateImportRows, type ImportFormat, type ImportIssue, type ImportRow } from '@/features/instructor/model/import-rows';
import type { BankFormat, BankParse } from '@/features/instructor/model/bank-question';
import { DISCIPLINES, ORGAN_SYSTEMS } from '@/features/instructor/model/question';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';
import { taxonomyLabel } from '@/lib/taxonomy';

const DEFAULT_EXPLANATION = 'Explanation to be added.';

type FormFormat = ImportFormat | BankFormat;
const isBankFormat = (f: FormFormat): f is BankFormat => f === 'moodle' || f === 'gift' || f === 'qti';

const FORMATS: { value: FormFormat; label: string; accept: string }[] = [
  { value: 'aiken', label: 'Aiken (Moodle): stem, "A) …" to "E) …", then "ANSWER: B"; blank line between questions', accept: '.txt,text/plain' },
  {
    value: 'csv',
    label: 'CSV with a header row: stem, choice_a … choice_e, correct_choice, explanation, organ_system, discipline, difficulty, tags',
    accept: '.csv,text/csv',
  },
  { value: 'moodle', label: 'Moodle XML (.xml): single-answer multiple choice; categories and tags become organ system, discipline or tags', accept: '.xml,text/xml,application/xml' },
  { value: 'gift', label: 'GIFT (.gift or .txt): multiple choice, "::Title:: Stem {=right ~wrong …}"', accept: '.gift,.txt,text/plain' },
  { value: 'qti', label: 'QTI 2.1 / 2.2 package (.zip) from Canvas, Blackboard or another LMS', accept: '.zip,application/zip' },
];

/** The format a file's extension names, when it names one (.txt is Aiken or GIFT: keep the choice). */
function formatOfFile(name: string): FormFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext === 'csv' ? 'csv' : ext === 'xml' ? 'moodle' : ext === 'gift' ? 'gift' : ext === 'zip' ? 'qti' : null;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Import from a CSV, Aiken, Moodle XML, GIFT or QTI file (or pasted text). CSV and Aiken are checked
 * locally and listed with where each problem is; only a clean file is sent. LMS bank files get a preview
 * first: what will be created, what is skipped and why; the instructor then imports what can be. Either
 * way the server imports all the rows it is sent or none (import_questions).
 */
export function ImportForm() {
  const ids = useId();
  const [format, setFormat] = useState<FormFormat>('aiken');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  // A bank file as chosen (not copied into the text box: it may be a zip, or megabytes of XML).
  const [fileBytes, setFileBytes] = useState<Uint8Array | null>(null);
  const [bank, setBank] = useState<BankParse | null>(null);
  const [bankError, setBankError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the preview once it is there.
  useEffect(() => {
    if (bank) previewHeading.current?.focus();
  }, [bank]);
  const [organSystem, setOrganSystem] = useState('');
  const [discipline, setDiscipline] = useState('');
  const [explanation, setExplanation] = useState(DEFAULT_EXPLANATION);
  const [publish, setPublish] = useState(false);
  const [issues, setIssues] = useState<ImportIssue[] | null>(null);
  const [imported, setImported] = useState<number[] | null>(null);
  // The import asked to publish questions with images: they are published after their images.
  const [held, setHeld] = useState(false);

  const options = importQuestionsMutationOptions();
  const mutation = useMutation(options);
  const attachOptions = attachBankImagesMutationOptions();
  const attach = useMutation(attachOptions);
  const [attachProgress, setAttachProgress] = useState<AttachProgress | null>(null);
  // The created questions with images, kept for the result (which ones still need real alt text).
  const [attachedTo, setAttachedTo] = useState<CreatedBankQuestion[]>([]);
  // What the preview said the created questions would not get (an image not in the file, a tag too
  // long…), kept after the preview closes: nothing left out goes unlisted once the import is done.
  const [leftOut, setLeftOut] = useState<LeftOut[]>([]);

  function defaults(): Record<string, unknown> {
    const d: Record<string, unknown> = {};
    if (organSystem) d.organ_system = organSystem;
    if (discipline) d.discipline = discipline;
    if (explanation.trim()) d.explanation = explanation.trim();
    return d;
  }

  const preview = bank ? previewBank(bank, defaults()) : null;

  function resetResults() {
    setImported(null);
    setIssues(null);
    setBank(null);
    setBankError(null);
    mutation.reset();
    attach.reset();
    setAttachProgress(null);
    setAttachedTo([]);
    setLeftOut([]);
  }

  async function checkBank(bankFormat: BankFormat) {
    setChecking(true);
    try {
      // The parsers (XML, ZIP) load only when a bank file is checked.
      const { readBankFile } = await import('@/features/instructor/model/bank-import');
      const read = await readBankFile(bankFormat, fileBytes ? { bytes: fileBytes } : { text });
      if ('error' in read) setBankError(read.error);
      else setBank(read.parse);
    } catch {
      setBankError('The file could not be read. Check that it is the format chosen above.');
    } finally {
      setChecking(false);
    }
  }

  function importBank() {
    if (!preview) return;
    setImported(null);
    mutation.reset();
    if (preview.rows.length > 500) {
      setBankError(`${preview.rows.length} questions: import at most 500 at a time (export the bank in parts).`);
      return;
    }
    attach.reset();
    const creating = preview.creating;
    // Published with images: created as drafts, each published once its images are attached
    // (attach-bank-images.ts), so no student meets a question whose image is not there.
    const holdForImages = publish && creating.some((c) => c.images.images.length > 0);
    setHeld(holdForImages);
    mutation.mutate(
      { rows: preview.rows.map((r) => r.fields), defaults: defaults(), publish: publish && !holdForImages },
      {
        onSuccess: (newIds) => {
          setImported(newIds);
          setBank(null);
          setText('');
          setFileName('');
          setFileBytes(null);
          // The questions exist now (their ids name the images' folders): attach their images.
          const created = creating.flatMap((c, i) => {
            const id = newIds[i];
            return id !== undefined && (holdForImages || c.images.images.length > 0) ? [{ id, where: c.where, images: c.images.images }] : [];
          });
          setAttachedTo(created.filter((c) => c.images.length > 0));
          setLeftOut(
            creating.flatMap((c, i) => {
              const id = newIds[i];
              const notes = [...c.notes, ...c.images.leftOut.map((l) => `${l.name} left out: ${l.reason}`)];
              return id !== undefined && notes.length > 0 ? [{ id, where: c.where, notes }] : [];
            }),
          );
          if (created.length > 0) attach.mutate({ created, publish: holdForImages, onProgress: setAttachProgress });
        },
      },
    );
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    resetResults();
    if (isBankFormat(format)) {
      void checkBank(format);
      return;
    }
    const parsed = parseImport(format, text);
    const rows: ImportRow[] = parsed.rows;
    const found = [...parsed.issues, ...validateImportRows(rows, defaults())];
    if (rows.length === 0 && found.length === 0) found.push({ row: null, where: 'file', message: 'The file has no questions.' });
    if (rows.length > 500) found.push({ row: null, where: 'file', message: `${rows.length} questions: import at most 500 at a time.` });
    setIssues(found);
    if (found.length > 0) return;
    mutation.mutate(
      { rows: rows.map((r) => r.fields), defaults: defaults(), publish },
      {
        onSuccess: (newIds) => {
          setImported(newIds);
          setIssues(null);
          setText('');
          setFileName('');
        },
      },
    );
  }

  // The server numbers rows by position; map them back to where they are in the file.
  const serverIssues: ImportIssue[] | null =
    mutation.error instanceof InvalidRowsError
      ? mutation.error.rows.map((r) => {
          const rows = preview?.rows ?? (isBankFormat(format) ? [] : parseImport(format, text).rows);
          return { row: r.row, where: rows[r.row - 1]?.where ?? `question ${r.row}`, message: `${r.field ?? 'row'} ${r.message}` };
        })
      : null;
  const shown = serverIssues ?? issues;

  return (
    <form className="stack" onSubmit={handleSubmit} aria-labelledby="import-heading" noValidate>
      <h1 id="import-heading">Import questions</h1>
      <fieldset className="card stack-sm">
        <legend>Format</legend>
        {FORMATS.map((f) => (
          <div className="checkbox-row" key={f.value}>
            <input
              id={`${ids}-${f.value}`}
              type="radio"
              name={`${ids}-format`}
              checked={format === f.value}
              onChange={() => {
                setFormat(f.value);
                resetResults();
              }}
            />
            <label htmlFor={`${ids}-${f.value}`}>{f.label}</label>
          </div>
        ))}
      </fieldset>
      <div className="card stack-sm">
        <div className="field">
          <label htmlFor={`${ids}-file`}>File</label>
          <input
            id={`${ids}-file`}
            type="file"
            accept={FORMATS.find((f) => f.value === format)?.accept}
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              const chosen = formatOfFile(file.name) ?? format;
              setFormat(chosen);
              setFileName(file.name);
              resetResults();
              if (isBankFormat(chosen)) {
                setFileBytes(new Uint8Array(await file.arrayBuffer()));
                setText('');
              } else {
                setFileBytes(null);
                setText(await file.text());
              }
            }}
          />
          {fileName ? <p className="muted">Loaded {fileName}.</p> : null}
        </div>
        {format === 'qti' ? (
          <p className="muted">A QTI package is a .zip file: choose it above.</p>
        ) : (
          <div className="field">
            <label htmlFor={`${ids}-text`}>Or paste the questions</label>
            <textarea
              id={`${ids}-text`}
              rows={10}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                if (fileBytes) {
                  setFileBytes(null);
                  setFileName('');
                }
              }}
              spellCheck={false}
              className="mono"
            />
          </div>
        )}
      </div>
      <fieldset className="card stack-sm">
        <legend>Defaults for fields the file leaves out</legend>
        <p className="muted">Aiken files have no explanation or taxonomy; empty CSV cells, and bank questions whose categories name no organ system or discipline, use these too.</p>
        <div className="row form-grid">
          <div className="field">
            <label htmlFor={`${ids}-system`}>Organ system</label>
            <select id={`${ids}-system`} value={organSystem} onChange={(e) => setOrganSystem(e.target.value)}>
              <option value="">None</option>
              {ORGAN_SYSTEMS.map((s) => (
                <option key={s} value={s}>
                  {taxonomyLabel(s)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-discipline`}>Discipline</label>
            <select id={`${ids}-discipline`} value={discipline} onChange={(e) => setDiscipline(e.target.value)}>
              <option value="">None</option>
              {DISCIPLINES.map((s) => (
                <option key={s} value={s}>
                  {taxonomyLabel(s)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-explanation`}>Explanation placeholder</label>
          <input id={`${ids}-explanation`} type="text" value={explanation} onChange={(e) => setExplanation(e.target.value)} />
        </div>
        <div className="checkbox-row">
          <input id={`${ids}-publish`} type="checkbox" checked={publish} onChange={(e) => setPublish(e.target.checked)} />
          <label htmlFor={`${ids}-publish`}>Publish at once (otherwise they are imported as drafts)</label>
        </div>
      </fieldset>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={mutation.isPending || attach.isPending || checking || (text.trim() === '' && !fileBytes)}>
          {isBankFormat(format) ? (checking ? 'Checking…' : 'Check the file') : mutation.isPending ? 'Importing…' : 'Check and import'}
        </button>
        <Link href="/instructor/questions">Questions</Link>
      </div>

      {bankError ? (
        <section className="card stack-sm import-report" role="alert" aria-labelledby="import-file-error-heading">
          <h2 id="import-file-error-heading">Nothing was imported</h2>
          <p>{bankError}</p>
        </section>
      ) : null}
      {preview ? (
        <section className="card stack-sm" aria-labelledby="import-preview-heading">
          <h2 id="import-preview-heading" tabIndex={-1} ref={previewHeading}>
            Preview: {plural(preview.creating.length, 'question')} to import, {preview.skipped.length} skipped
          </h2>
          {preview.images > 0 ? (
            <p>
              {plural(preview.images, 'image')} will be attached after the questions are created.
              {preview.imagesWithoutAlt > 0
                ? ` ${plural(preview.imagesWithoutAlt, 'image has', 'images have')} no alt text in the file and will get a generated description (listed below): describe ${preview.imagesWithoutAlt === 1 ? 'it' : 'them'} in the question editor after the import.`
                : ''}
            </p>
          ) : null}
          {preview.creating.length > 0 ? (
            <>
              <h3>Will be imported ({preview.creating.length})</h3>
              <ul className="stack-sm">
                {preview.creating.map((q) => (
                  <li key={q.where}>
                    <strong>
                      {capitalise(q.where)}
                      {q.title ? ` · ${q.title}` : ''}:
                    </strong>{' '}
                    {q.stem.length > 110 ? `${q.stem.slice(0, 110)}…` : q.stem}{' '}
                    <span className="muted">
                      — {taxonomyLabel(q.organ_system ?? '')} · {taxonomyLabel(q.discipline ?? '')}
                      {q.tags.length ? ` · tags: ${q.tags.join(', ')}` : ''}
                      {q.images.images.length ? ` · ${plural(q.images.images.length, 'image')}` : ''}
                    </span>
                    {q.notes.length || q.images.leftOut.length || q.images.images.some((i) => i.altGenerated) ? (
                      <ul className="muted small">
                        {q.notes.map((n) => (
                          <li key={n}>{n}</li>
                        ))}
                        {q.images.images
                          .filter((i) => i.altGenerated)
                          .map((i) => (
                            <li key={`alt-${i.name}`}>
                              {i.name} has no alt text in the file; it gets “{i.alt}”.
                            </li>
                          ))}
                        {q.images.leftOut.map((i) => (
                          <li key={`out-${i.name}`}>
                            {i.name} left out: {i.reason}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {preview.skipped.length > 0 ? (
            <>
              <h3>Skipped ({preview.skipped.length})</h3>
              <ul className="stack-sm">
                {preview.skipped.map((q) => (
                  <li key={q.where}>
                    <strong>
                      {capitalise(q.where)}
                      {q.title ? ` · ${q.title}` : ''}:
                    </strong>{' '}
                    {q.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <div className="row">
            <button type="button" className="button button-primary" onClick={importBank} disabled={mutation.isPending || attach.isPending || preview.creating.length === 0}>
              {mutation.isPending ? 'Importing…' : `Import ${plural(preview.creating.length, 'question')}`}
            </button>
          </div>
        </section>
      ) : null}
      {shown && shown.length > 0 ? (
        <section className="card stack-sm import-report" role="alert" aria-labelledby="import-errors-heading">
          <h2 id="import-errors-heading">
            {serverIssues ? 'The server refused the import' : 'Nothing was imported'}: {shown.length} problem{shown.length === 1 ? '' : 's'}
          </h2>
          <p>Fix them and import the whole file again — it is imported all at once or not at all.</p>
          <ul>
            {shown.map((issue, i) => (
              <li key={i}>
                <strong>
                  {issue.row === null ? '' : `Question ${issue.row}, `}
                  {issue.where}:
                </strong>{' '}
                {issue.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <WriteError error={serverIssues ? null : mutation.error} meta={options.meta} />
      {imported ? (
        <p role="status" className="card">
          Imported {imported.length} question{imported.length === 1 ? '' : 's'} as {held ? 'drafts, published as their images are attached' : publish ? 'published' : 'drafts'}.{' '}
          <Link href="/instructor/questions">See them in the list</Link>
        </p>
      ) : null}
      {imported && leftOut.length > 0 ? <LeftOutResult leftOut={leftOut} /> : null}
      {attach.isPending && attachProgress ? (
        <section className="card stack-sm" aria-labelledby="import-images-heading">
          <h2 id="import-images-heading">Attaching images</h2>
          <progress max={attachProgress.bytes || 1} value={attachProgress.bytesDone} aria-labelledby="import-images-heading" />
          <p role="status">
            {attachProgress.imagesDone} of {plural(attachProgress.images, 'image')} done ({megabytes(attachProgress.bytesDone)} of {megabytes(attachProgress.bytes)})
            {attachProgress.questions > 0 ? `, ${attachProgress.questionsDone} of ${plural(attachProgress.questions, 'question')} published` : ''}. Keep this page open.
          </p>
        </section>
      ) : null}
      <WriteError error={attach.error} meta={attachOptions.meta} />
      {attach.data ? <ImagesResult result={attach.data} held={held} created={attachedTo} /> : null}
    </form>
  );
}

/** A created question and what the preview said it would not get from the file. */
interface LeftOut {
  id: number;
  where: string;
  notes: string[];
}

/** The preview's notes on the created questions, after the import: what each did not get from the file. */
function LeftOutResult({ leftOut }: { leftOut: LeftOut[] }) {
  return (
    <section className="card stack-sm" aria-labelledby="import-left-out-heading">
      <h2 id="import-left-out-heading">Left out of {plural(leftOut.length, 'imported question')}</h2>
      <p>The questions were created without these parts of the file. Add what they need in the question editor.</p>
      <ul className="stack-sm">
        {leftOut.map((q) => (
          <li key={q.id}>
            <strong>{capitalise(q.where)}:</strong> <Link href={`/instructor/questions/${q.id}`}>Edit question {q.id}</Link>
            <ul className="muted small">
              {q.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What became of an import's images: how many were attached, which were not and why, which need alt text. */
function ImagesResult({
  result: { attached, failed, published, drafts },
  held,
  created,
}: {
  result: { attached: number; failed: BankImageFailure[]; published: number; drafts: HeldDraft[] };
  held: boolean;
  created: CreatedBankQuestion[];
}) {
  const notAttached = new Set(failed.map((f) => `${f.questionId}/${f.name}`));
  const needAlt = created.flatMap((c) => c.images.filter((i) => i.altGenerated && !notAttached.has(`${c.id}/${i.name}`)).map((i) => ({ ...c, name: i.name })));
  return (
    <>
      <p role="status" className="card">
        Attached {plural(attached, 'image')}.{held ? ` Published ${plural(published, 'question')}.` : ''}
      </p>
      {drafts.length > 0 ? (
        <section className="card stack-sm import-report" role="alert" aria-labelledby="import-drafts-heading">
          <h2 id="import-drafts-heading">{plural(drafts.length, 'question was', 'questions were')} kept as {drafts.length === 1 ? 'a draft' : 'drafts'}</h2>
          <p>Students do not see them yet. Add what is missing, then publish them from the editor.</p>
          <ul>
            {drafts.map((d) => (
              <li key={d.questionId}>
                <strong>{capitalise(d.where)}:</strong> {d.message} <Link href={`/instructor/questions/${d.questionId}`}>Edit question {d.questionId}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {failed.length > 0 ? (
        <section className="card stack-sm import-report" role="alert" aria-labelledby="import-images-failed-heading">
          <h2 id="import-images-failed-heading">{plural(failed.length, 'image was', 'images were')} not attached</h2>
          <p>The questions were created without them. Add them in the question editor.</p>
          <ul>
            {failed.map((f) => (
              <li key={`${f.questionId}/${f.name}`}>
                <strong>
                  {capitalise(f.where)}, {f.name}:
                </strong>{' '}
                {f.message} <Link href={`/instructor/questions/${f.questionId}`}>Edit question {f.questionId}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {needAlt.length > 0 ? (
        <section className="card stack-sm" aria-labelledby="import-images-alt-heading">
          <h2 id="import-images-alt-heading">{plural(needAlt.length, 'image needs', 'images need')} alt text</h2>
          <p>The file gave no description, so a generated one stands in. Describe each image for someone who cannot see it.</p>
          <ul>
            {needAlt.map((n) => (
              <li key={`${n.id}/${n.name}`}>
                {capitalise(n.where)}, {n.name}: <Link href={`/instructor/questions/${n.id}`}>edit question {n.id}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
