import { useId, useState, type DragEvent } from 'react';
import { mediaAt, srcSetOf, type MediaItem, type MediaPlacement } from '@/lib/question-media';
import type { MediaUrls } from '@/lib/question-media-urls';
import { getErrorMessage } from '@/lib/errors';
import type { Choice } from '@/lib/taxonomy';
import { ImageUploadError, uploadQuestionImage, type UploadProgress } from '@/features/instructor/api/upload-question-images';

/** Form errors of images, keyed `media.<image id>.<field>`. */
type Errors = Partial<Record<string, string>>;

const PLACE_LABEL: Record<MediaPlacement, string> = { stem: 'the stem', explanation: 'the explanation', choice: 'choice' };

/** Renumbers positions within each place after a change, so the stored order is the shown order. */
function renumber(media: MediaItem[]): MediaItem[] {
  const next = new Map<string, number>();
  return media.map((m) => {
    const place = `${m.placement}:${m.choice ?? ''}`;
    const position = next.get(place) ?? 0;
    next.set(place, position + 1);
    return { ...m, position };
  });
}

/**
 * The images at one place of the question being edited: add (file pick or drop), preview, alt text
 * (required: the form does not save without it), caption and credit, move up/down, replace, remove.
 * Adding or replacing encodes and uploads at once (`uploadQuestionImage`); the question's media is saved
 * with the form (update_question, version checked). `media` is the whole list, sorted by position.
 */
export function QuestionImagesField({
  questionId,
  placement,
  choice,
  media,
  urls,
  errors,
  onChange,
  onUploaded,
}: {
  questionId: number;
  placement: MediaPlacement;
  choice?: Choice;
  media: MediaItem[];
  urls: MediaUrls | undefined;
  errors: Errors;
  onChange: (media: MediaItem[]) => void;
  /** Objects uploaded here, so the editor can remove the ones its save did not keep. */
  onUploaded: (paths: string[]) => void;
}) {
  const ids = useId();
  const [busy, setBusy] = useState<UploadProgress | null>(null);
  const [problem, setProblem] = useState('');
  const [dragging, setDragging] = useState(false);
  const here = mediaAt(media, placement, choice);
  const where = placement === 'choice' ? `choice ${choice ?? ''}` : PLACE_LABEL[placement];
  const full = media.length >= 10;
  // Why the last add or replace failed: announced, and the description of the file inputs until the next try.
  const problemId = `${ids}-problem`;
  const describedBy = problem ? problemId : undefined;

  async function upload(file: File, replacing?: MediaItem): Promise<boolean> {
    setProblem('');
    try {
      const position = replacing ? replacing.position : here.length;
      const item = await uploadQuestionImage(
        questionId,
        file,
        { placement, choice, position, alt: replacing?.alt ?? '', caption: replacing?.caption, credit: replacing?.credit },
        setBusy,
      );
      onUploaded(item.variants.map((v) => v.path));
      onChange(replacing ? media.map((m) => (m.id === replacing.id ? item : m)) : renumber([...media, item]));
      return true;
    } catch (error) {
      // uploadQuestionImage words every failure it knows for the author; anything else gets the app's wording.
      setProblem(error instanceof ImageUploadError ? error.message : getErrorMessage(error));
      return false;
    } finally {
      setBusy(null);
    }
  }

  function move(item: MediaItem, by: -1 | 1) {
    const i = here.findIndex((m) => m.id === item.id);
    const other = here[i + by];
    if (!other) return;
    onChange(media.map((m) => (m.id === item.id ? { ...m, position: other.position } : m.id === other.id ? { ...m, position: item.position } : m)));
  }

  const edit = (item: MediaItem, patch: Partial<MediaItem>) => onChange(media.map((m) => (m.id === item.id ? { ...m, ...patch } : m)));

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const files = event.dataTransfer.files;
    const file = files[0];
    if (!file || busy || full) return;
    // One image per drop (each needs its own alt text): the others are named, not dropped silently.
    void upload(file).then((added) => {
      if (added && files.length > 1) setProblem(`Only ${file.name} was added: add images one at a time, each with its alt text.`);
    });
  }

  return (
    <div className="question-images-field stack-sm" data-placement={placement}>
      {here.map((item, i) => {
        const source = urls ? srcSetOf(item, new Map(Object.entries(urls))) : null;
        const err = (field: string) => errors[`media.${item.id}.${field}`];
        const altId = `${ids}-${item.id}-alt`;
        return (
          <div key={item.id} className="image-edit" aria-label={`Image ${i + 1} of ${where}`} role="group">
            <div className="image-edit-preview" style={{ aspectRatio: `${item.width} / ${item.height}` }}>
              {source ? <img src={source.src} srcSet={source.srcSet} sizes="10rem" width={item.width} height={item.height} alt="" /> : null}
            </div>
            <div className="stack-sm image-edit-fields">
              <div className="field">
                <label htmlFor={altId}>Alt text (required)</label>
                <input
                  id={altId}
                  type="text"
                  value={item.alt}
                  maxLength={300}
                  onChange={(e) => edit(item, { alt: e.target.value })}
                  aria-invalid={err('alt') ? true : undefined}
                  aria-describedby={err('alt') ? `${altId}-error` : undefined}
                />
                {err('alt') ? (
                  <p id={`${altId}-error`} className="form-error">
                    {err('alt')}
                  </p>
                ) : null}
              </div>
              <div className="row form-grid">
                <div className="field">
                  <label htmlFor={`${ids}-${item.id}-caption`}>Caption</label>
                  <input id={`${ids}-${item.id}-caption`} type="text" maxLength={300} value={item.caption ?? ''} onChange={(e) => edit(item, { caption: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${ids}-${item.id}-credit`}>Credit / licence</label>
                  <input id={`${ids}-${item.id}-credit`} type="text" maxLength={300} value={item.credit ?? ''} onChange={(e) => edit(item, { credit: e.target.value })} />
                </div>
              </div>
              <div className="row image-edit-actions">
                <button type="button" className="button" onClick={() => move(item, -1)} disabled={i === 0} aria-label={`Move up image ${i + 1} of ${where}`}>
                  Move up
                </button>
                <button type="button" className="button" onClick={() => move(item, 1)} disabled={i === here.length - 1} aria-label={`Move down image ${i + 1} of ${where}`}>
                  Move down
                </button>
                <label className="button image-edit-file">
                  Replace
                  <input
                    type="file"
                    accept="image/*"
                    className="visually-hidden"
                    disabled={busy !== null}
                    aria-label={`Replace image ${i + 1} of ${where}`}
                    aria-describedby={describedBy}
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      e.target.value = '';
                      if (file) void upload(file, item);
                    }}
                  />
                </label>
                <button type="button" className="button" onClick={() => onChange(renumber(media.filter((m) => m.id !== item.id)))} aria-label={`Remove image ${i + 1} of ${where}`}>
                  Remove
                </button>
              </div>
            </div>
          </div>
        );
      })}
      <div
        className="image-drop"
        data-dragging={dragging || undefined}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={`${ids}-add`} className="image-drop-label">
          {full ? 'This question has 10 images, the most it can have.' : `Add an image to ${where} (drop a file here or choose one)`}
        </label>
        <input
          id={`${ids}-add`}
          type="file"
          accept="image/*"
          disabled={busy !== null || full}
          aria-describedby={describedBy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void upload(file);
          }}
        />
      </div>
      {busy ? (
        <div className="stack-sm">
          <progress max={busy.total || 1} value={busy.done} aria-label={`Preparing the image for ${where}`} />
          <p role="status" className="muted">
            {busy.stage === 'encoding' ? `Resizing… ${busy.done} of ${busy.total} widths` : `Uploading… ${busy.done} of ${busy.total} widths`}
          </p>
        </div>
      ) : null}
      {problem ? (
        <p id={problemId} role="alert" className="form-error">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
