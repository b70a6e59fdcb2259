import './instructor.css';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getQuestionAuthorsQueryOptions } from '@/features/instructor/api/get-question-authors';
import { getQuestionQueryOptions } from '@/features/instructor/api/get-questions';
import { removeQuestionObjects, saveQuestionMutationOptions, VersionConflictError, type QuestionSave } from '@/features/instructor/api/save-question';
import {
  changedFields,
  diffFields,
  DISCIPLINES,
  draftFromRow,
  draftToInput,
  emptyDraft,
  fieldsOfRow,
  mediaErrors,
  ORGAN_SYSTEMS,
  questionFieldsSchema,
  type FieldChange,
  type QuestionDraft,
  type QuestionFields,
  type QuestionRow,
} from '@/features/instructor/model/question';
import { ownershipNote, ownershipOf, type Ownership } from '@/features/instructor/model/ownership';
import { QuestionImagesField } from '@/features/instructor/components/question-images-field';
import { QuestionImages } from '@/components/question-images';
import { mediaPaths, normalizeMediaItem, type MediaItem } from '@/lib/question-media';
import { getMediaUrlsQueryOptions } from '@/lib/question-media-urls';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';
import { CHOICES, taxonomyLabel } from '@/lib/taxonomy';
import { navigate } from '@/lib/router';

/** The editor for question `id`, or for a new question when id is 'new'. */
export function QuestionEditor({ id }: { id: number | 'new' }) {
  if (id === 'new') return <EditorForm initial={null} />;
  return <ExistingQuestion id={id} />;
}

function ExistingQuestion({ id }: { id: number }) {
  const question = useQuery({ ...getQuestionQueryOptions(id), throwOnError: (_e, q) => q.state.data === undefined });
  const authors = useQuery({ ...getQuestionAuthorsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  if (question.data === undefined || authors.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading the question…
      </p>
    );
  }
  if (question.data === null) {
    return (
      <section className="card stack-sm">
        <h1>Question not found</h1>
        <Link href="/instructor/questions">Back to questions</Link>
      </section>
    );
  }
  const ownership = ownershipOf(question.data.created_by, authors.data);
  if (!ownership.canEdit) return <ReadOnlyQuestion question={question.data} ownership={ownership} />;
  return <EditorForm key={question.data.id} initial={question.data} ownership={ownership} />;
}

/** A question the instructor may read but not change: its content, and whom to ask. */
function ReadOnlyQuestion({ question, ownership }: { question: QuestionRow; ownership: Ownership }) {
  const urls = useQuery(getMediaUrlsQueryOptions(mediaPaths(question.media))).data;
  return (
    <div className="stack">
      <p>
        <Link href="/instructor/questions">← Questions</Link>
      </p>
      <h1>Question {question.id}</h1>
      <p className="read-only-note" role="note">
        {ownershipNote(ownership)}
      </p>
      <section className="card stack-sm" aria-label="Question">
        <p className="read-only-stem">{question.stem}</p>
        <QuestionImages media={question.media} placement="stem" urls={urls} />
        <ol className="read-only-choices" type="A">
          {question.choices.map((choice, i) => {
            const correct = CHOICES[i] === question.correct_choice;
            return (
              <li key={CHOICES[i] ?? i} className={correct ? 'read-only-key' : undefined}>
                {choice}
                {correct ? <strong> (correct)</strong> : null}
                <QuestionImages media={question.media} placement="choice" choice={CHOICES[i]} urls={urls} />
              </li>
            );
          })}
        </ol>
        <h2 className="small-heading">Explanation</h2>
        <p className="read-only-explanation">{question.explanation}</p>
        <QuestionImages media={question.media} placement="explanation" urls={urls} />
        <dl className="read-only-meta">
          <dt>Organ system</dt>
          <dd>{taxonomyLabel(question.organ_system)}</dd>
          <dt>Discipline</dt>
          <dd>{taxonomyLabel(question.discipline)}</dd>
          <dt>Difficulty</dt>
          <dd>{question.difficulty}</dd>
          <dt>Tags</dt>
          <dd>{question.tags.length > 0 ? question.tags.join(', ') : 'None'}</dd>
          <dt>Status</dt>
          <dd>{question.published ? 'Published' : 'Draft'}</dd>
        </dl>
      </section>
    </div>
  );
}

type Errors = Partial<Record<string, string>>;

function validate(draft: QuestionDraft): { ok: true; fields: QuestionFields } | { ok: false; errors: Errors } {
  const parsed = questionFieldsSchema.safeParse(draftToInput(draft));
  if (parsed.success) return { ok: true, fields: parsed.data };
  const errors: Errors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join('.');
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

function EditorForm({ initial, ownership }: { initial: QuestionRow | null; ownership?: Ownership }) {
  // The row this edit is based on: its version is what a save expects the server to still have.
  const [base, setBase] = useState(initial);
  const [draft, setDraft] = useState<QuestionDraft>(() => (initial ? draftFromRow(initial) : emptyDraft()));
  const [errors, setErrors] = useState<Errors>({});
  const [notice, setNotice] = useState('');
  const [conflict, setConflict] = useState<{ current: QuestionRow; mine: QuestionFields; media: MediaItem[]; published: boolean } | null>(null);
  const [draftMedia, setMedia] = useState<MediaItem[]>(() => initial?.media ?? []);
  // Objects uploaded since the last save: the ones a save does not keep (removed or replaced before
  // saving) are removed after it. Leaving the page without saving leaves them as orphans (decision 025).
  const uploaded = useRef(new Set<string>());
  const urls = useQuery(getMediaUrlsQueryOptions(mediaPaths(draftMedia))).data;
  const ids = useId();

  const options = saveQuestionMutationOptions();
  const save = useMutation(options);

  function submit(variables: QuestionSave) {
    save.mutate(variables, {
      onSuccess: (row) => {
        const kept = new Set(mediaPaths(row.media));
        void removeQuestionObjects([...uploaded.current].filter((p) => !kept.has(p)));
        uploaded.current.clear();
        setBase(row);
        setDraft(draftFromRow(row));
        setMedia(row.media);
        setConflict(null);
        setNotice(`Saved — version ${row.version}${row.published ? ', published' : ', draft'}.`);
        if (!variables.against) navigate(`/instructor/questions/${row.id}`, { replace: true });
      },
      onError: (error) => {
        if (error instanceof VersionConflictError) setConflict({ current: error.current, mine: variables.fields, media: variables.media, published: variables.published });
      },
    });
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    const result = validate(draft);
    const media = draftMedia.map(normalizeMediaItem);
    const imageErrors = mediaErrors(media);
    if (!result.ok || Object.keys(imageErrors).length > 0) {
      setErrors({ ...(result.ok ? {} : result.errors), ...imageErrors });
      return;
    }
    setErrors({});
    const sameMedia = base !== null && JSON.stringify(base.media) === JSON.stringify(media);
    if (base && Object.keys(changedFields(fieldsOfRow(base), result.fields)).length === 0 && draft.published === base.published && sameMedia) {
      setNotice('Nothing to save: no field changed.');
      return;
    }
    submit({ fields: result.fields, media, published: draft.published, against: base });
  }

  const set = <K extends keyof QuestionDraft>(key: K, value: QuestionDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const fieldError = (key: string) =>
    errors[key] ? (
      <p id={`${ids}-${key}-error`} className="form-error">
        {errors[key]}
      </p>
    ) : null;
  const describedBy = (key: string) => (errors[key] ? `${ids}-${key}-error` : undefined);
  const images = (placement: MediaItem['placement'], choice?: (typeof CHOICES)[number]) =>
    base ? (
      <QuestionImagesField
        questionId={base.id}
        placement={placement}
        {...(choice ? { choice } : {})}
        media={draftMedia}
        urls={urls}
        errors={errors}
        onChange={setMedia}
        onUploaded={(paths) => paths.forEach((p) => uploaded.current.add(p))}
      />
    ) : null;

  return (
    <div className="stack">
      <p>
        <Link href="/instructor/questions">← Questions</Link>
      </p>
      <h1>{base ? `Edit question ${base.id}` : 'New question'}</h1>
      {base ? (
        <p className="muted">
          Editing version {base.version}.{ownership ? ` ${ownershipNote(ownership)}` : ''}
        </p>
      ) : null}

      {conflict ? (
        <ConflictView
          current={conflict.current}
          changes={diffFields(fieldsOfRow(conflict.current), conflict.mine)}
          mediaChange={JSON.stringify(conflict.current.media) === JSON.stringify(conflict.media) ? undefined : conflict.media}
          publishedChange={conflict.published !== conflict.current.published ? conflict.published : undefined}
          busy={save.isPending}
          onReload={() => {
            // This editor's uploads are not in their version: drop them now rather than leave orphans.
            void removeQuestionObjects([...uploaded.current]);
            uploaded.current.clear();
            setBase(conflict.current);
            setDraft(draftFromRow(conflict.current));
            setMedia(conflict.current.media);
            setConflict(null);
            setNotice(`Loaded version ${conflict.current.version}. Your changes were discarded.`);
          }}
          onOverwrite={() => submit({ fields: conflict.mine, media: conflict.media, published: conflict.published, against: conflict.current })}
        />
      ) : null}

      <form className="card stack question-form" onSubmit={handleSubmit} noValidate aria-label="Question">
        <div className="field">
          <label htmlFor={`${ids}-stem`}>Stem</label>
          <textarea
            id={`${ids}-stem`}
            rows={6}
            value={draft.stem}
            onChange={(e) => set('stem', e.target.value)}
            aria-invalid={errors.stem ? true : undefined}
            aria-describedby={describedBy('stem')}
          />
          {fieldError('stem')}
        </div>
        {base ? (
          images('stem')
        ) : (
          <p className="muted">Images can be added once the question is created: their folder is named after the question.</p>
        )}
        <fieldset className="stack-sm">
          <legend>Choices and key</legend>
          {CHOICES.map((letter, i) => {
            const key = `choices.${i}`;
            return (
              <div key={letter} className="choice-edit">
                <input
                  type="radio"
                  name={`${ids}-key`}
                  id={`${ids}-key-${letter}`}
                  checked={draft.correct_choice === letter}
                  onChange={() => set('correct_choice', letter)}
                />
                <label htmlFor={`${ids}-key-${letter}`} className="visually-hidden">
                  {letter} is correct
                </label>
                <label htmlFor={`${ids}-choice-${letter}`} className="choice-letter">
                  Choice {letter}
                </label>
                <input
                  id={`${ids}-choice-${letter}`}
                  type="text"
                  value={draft.choices[i] ?? ''}
                  onChange={(e) => {
                    const value = e.target.value;
                    setDraft((d) => {
                      const choices: QuestionDraft['choices'] = [...d.choices];
                      choices[i] = value;
                      return { ...d, choices };
                    });
                  }}
                  aria-invalid={errors[key] ? true : undefined}
                  aria-describedby={describedBy(key)}
                />
                {fieldError(key)}
                {images('choice', letter)}
              </div>
            );
          })}
          {fieldError('correct_choice')}
        </fieldset>
        <div className="field">
          <label htmlFor={`${ids}-explanation`}>Explanation</label>
          <textarea
            id={`${ids}-explanation`}
            rows={5}
            value={draft.explanation}
            onChange={(e) => set('explanation', e.target.value)}
            aria-invalid={errors.explanation ? true : undefined}
            aria-describedby={describedBy('explanation')}
          />
          {fieldError('explanation')}
        </div>
        {images('explanation')}
        <div className="row form-grid">
          <div className="field">
            <label htmlFor={`${ids}-system`}>Organ system</label>
            <select id={`${ids}-system`} value={draft.organ_system} onChange={(e) => set('organ_system', e.target.value)} aria-describedby={describedBy('organ_system')}>
              <option value="">Choose…</option>
              {ORGAN_SYSTEMS.map((s) => (
                <option key={s} value={s}>
                  {taxonomyLabel(s)}
                </option>
              ))}
            </select>
            {fieldError('organ_system')}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-discipline`}>Discipline</label>
            <select id={`${ids}-discipline`} value={draft.discipline} onChange={(e) => set('discipline', e.target.value)} aria-describedby={describedBy('discipline')}>
              <option value="">Choose…</option>
              {DISCIPLINES.map((s) => (
                <option key={s} value={s}>
                  {taxonomyLabel(s)}
                </option>
              ))}
            </select>
            {fieldError('discipline')}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-difficulty`}>Difficulty</label>
            <select id={`${ids}-difficulty`} value={draft.difficulty} onChange={(e) => set('difficulty', Number(e.target.value))}>
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-tags`}>Tags (comma-separated)</label>
          <input id={`${ids}-tags`} type="text" value={draft.tags} onChange={(e) => set('tags', e.target.value)} aria-describedby={describedBy('tags')} />
          {fieldError('tags')}
        </div>
        <div className="checkbox-row">
          <input id={`${ids}-published`} type="checkbox" checked={draft.published} onChange={(e) => set('published', e.target.checked)} />
          <label htmlFor={`${ids}-published`}>Published (students can get it in blocks)</label>
        </div>
        {Object.keys(errors).length > 0 ? (
          <p className="form-error" role="alert">
            Fix the {Object.keys(errors).length === 1 ? 'field' : `${Object.keys(errors).length} fields`} marked above.
          </p>
        ) : null}
        <WriteError error={save.error instanceof VersionConflictError ? null : save.error} meta={options.meta} />
        <p role="status">{notice}</p>
        <div className="row">
          <button type="submit" className="button button-primary" disabled={save.isPending || conflict !== null}>
            {save.isPending ? 'Saving…' : base ? 'Save' : 'Create question'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** What the other editor saved vs. what this editor holds, field by field, and the two ways out. */
function ConflictView({
  current,
  changes,
  mediaChange,
  publishedChange,
  busy,
  onReload,
  onOverwrite,
}: {
  current: QuestionRow;
  changes: FieldChange[];
  mediaChange: MediaItem[] | undefined;
  publishedChange: boolean | undefined;
  busy: boolean;
  onReload: () => void;
  onOverwrite: () => void;
}) {
  return (
    <section className="card stack-sm conflict" role="alert" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">Someone else saved this question while you were editing</h2>
      <p>
        It is now version {current.version}. These fields differ between their saved version and yours:
      </p>
      {changes.length === 0 && publishedChange === undefined && mediaChange === undefined ? (
        <p className="muted">None — their version already matches yours.</p>
      ) : (
        <table className="data-table diff-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Theirs (saved)</th>
              <th scope="col">Yours</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field}>
                <th scope="row">{c.label}</th>
                <td className="diff-old">{c.before}</td>
                <td className="diff-new">{c.after}</td>
              </tr>
            ))}
            {mediaChange !== undefined ? (
              <tr>
                <th scope="row">Images</th>
                <td className="diff-old">{describeImages(current.media)}</td>
                <td className="diff-new">{describeImages(mediaChange)}</td>
              </tr>
            ) : null}
            {publishedChange !== undefined ? (
              <tr>
                <th scope="row">Published</th>
                <td className="diff-old">{current.published ? 'Yes' : 'No'}</td>
                <td className="diff-new">{publishedChange ? 'Yes' : 'No'}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      )}
      <div className="row">
        <button type="button" className="button" onClick={onReload} disabled={busy}>
          Reload theirs
        </button>
        <button type="button" className="button button-primary" onClick={onOverwrite} disabled={busy}>
          {busy ? 'Saving…' : 'Overwrite with mine'}
        </button>
      </div>
    </section>
  );
}

/** Images in a diff cell: how many, and their alt texts. */
function describeImages(media: readonly MediaItem[]): string {
  if (media.length === 0) return 'None';
  return `${media.length} image${media.length === 1 ? '' : 's'}: ${media.map((m) => m.alt || '(no alt text)').join('; ')}`;
}
