import './instructor.css';
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { importQuestionsMutationOptions, InvalidRowsError } from '@/features/instructor/api/import-questions';
import { parseImport, validateImportRows, type ImportFormat, type ImportIssue, type ImportRow } from '@/features/instructor/model/import-rows';
import { DISCIPLINES, ORGAN_SYSTEMS } from '@/features/instructor/model/question';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';
import { taxonomyLabel } from '@/lib/taxonomy';

const DEFAULT_EXPLANATION = 'Explanation to be added.';

/**
 * Import from a CSV or Aiken file (or pasted text). Everything is checked locally first and listed with
 * where it is in the file; only a clean file is sent, and the server imports all of it or nothing.
 */
export function ImportForm() {
  const ids = useId();
  const [format, setFormat] = useState<ImportFormat>('aiken');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [organSystem, setOrganSystem] = useState('');
  const [discipline, setDiscipline] = useState('');
  const [explanation, setExplanation] = useState(DEFAULT_EXPLANATION);
  const [publish, setPublish] = useState(false);
  const [issues, setIssues] = useState<ImportIssue[] | null>(null);
  const [imported, setImported] = useState<number[] | null>(null);

  const options = importQuestionsMutationOptions();
  const mutation = useMutation(options);

  function defaults(): Record<string, unknown> {
    const d: Record<string, unknown> = {};
    if (organSystem) d.organ_system = organSystem;
    if (discipline) d.discipline = discipline;
    if (explanation.trim()) d.explanation = explanation.trim();
    return d;
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setImported(null);
    mutation.reset();
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
          const rows = parseImport(format, text).rows;
          return { row: r.row, where: rows[r.row - 1]?.where ?? `question ${r.row}`, message: `${r.field ?? 'row'} ${r.message}` };
        })
      : null;
  const shown = serverIssues ?? issues;

  return (
    <form className="stack" onSubmit={handleSubmit} aria-labelledby="import-heading" noValidate>
      <h1 id="import-heading">Import questions</h1>
      <fieldset className="card stack-sm">
        <legend>Format</legend>
        <div className="checkbox-row">
          <input id={`${ids}-aiken`} type="radio" name={`${ids}-format`} checked={format === 'aiken'} onChange={() => setFormat('aiken')} />
          <label htmlFor={`${ids}-aiken`}>Aiken (Moodle): stem, "A) …" to "E) …", then "ANSWER: B"; blank line between questions</label>
        </div>
        <div className="checkbox-row">
          <input id={`${ids}-csv`} type="radio" name={`${ids}-format`} checked={format === 'csv'} onChange={() => setFormat('csv')} />
          <label htmlFor={`${ids}-csv`}>
            CSV with a header row: stem, choice_a … choice_e, correct_choice, explanation, organ_system, discipline, difficulty, tags
          </label>
        </div>
      </fieldset>
      <div className="card stack-sm">
        <div className="field">
          <label htmlFor={`${ids}-file`}>File</label>
          <input
            id={`${ids}-file`}
            type="file"
            accept={format === 'csv' ? '.csv,text/csv' : '.txt,text/plain'}
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              setText(await file.text());
              setIssues(null);
            }}
          />
          {fileName ? <p className="muted">Loaded {fileName}.</p> : null}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-text`}>Or paste the questions</label>
          <textarea id={`${ids}-text`} rows={10} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} className="mono" />
        </div>
      </div>
      <fieldset className="card stack-sm">
        <legend>Defaults for fields the file leaves out</legend>
        <p className="muted">Aiken files have no explanation or taxonomy; empty CSV cells use these too.</p>
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
        <button type="submit" className="button button-primary" disabled={mutation.isPending || text.trim() === ''}>
          {mutation.isPending ? 'Importing…' : 'Check and import'}
        </button>
        <Link href="/instructor/questions">Questions</Link>
      </div>

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
          Imported {imported.length} question{imported.length === 1 ? '' : 's'} as {publish ? 'published' : 'drafts'}.{' '}
          <Link href="/instructor/questions">See them in the list</Link>
        </p>
      ) : null}
    </form>
  );
}
