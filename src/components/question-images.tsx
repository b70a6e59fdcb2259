import './question-images.css';
import { useState } from 'react';
import { mediaAt, sizesFor, srcSetOf, type MediaItem, type MediaPlacement } from '@/lib/question-media';
import type { MediaUrls } from '@/lib/question-media-urls';

/**
 * The images at one place of a question (stem, explanation or one choice), each as a figure. The box
 * is sized from the record's width and height before anything loads (width/height attributes and the
 * same aspect ratio on the placeholder), so an image arriving, or never arriving offline, moves nothing.
 * `urls` undefined: still resolving (placeholder, no request yet).
 */
export function QuestionImages({
  media,
  placement,
  choice,
  urls,
}: {
  media: readonly MediaItem[];
  placement: MediaPlacement;
  choice?: string;
  urls: MediaUrls | undefined;
}) {
  const items = mediaAt(media, placement, choice);
  if (items.length === 0) return null;
  return (
    <div className="question-images" data-placement={placement}>
      {items.map((item) => (
        <QuestionFigure key={item.id} item={item} urls={urls} />
      ))}
    </div>
  );
}

function QuestionFigure({ item, urls }: { item: MediaItem; urls: MediaUrls | undefined }) {
  const [failed, setFailed] = useState(false);
  const source = urls ? srcSetOf(item, new Map(Object.entries(urls))) : null;
  const box = { aspectRatio: `${item.width} / ${item.height}`, width: `${item.width}px` };
  return (
    <figure className="question-figure" data-placement={item.placement}>
      {source && !failed ? (
        <img
          src={source.src}
          srcSet={source.srcSet}
          sizes={sizesFor(item.placement)}
          width={item.width}
          height={item.height}
          alt={item.alt}
          decoding="async"
          onError={() => setFailed(true)}
        />
      ) : (
        <div className="question-figure-missing" role="img" aria-label={item.alt} style={box}>
          {urls === undefined ? null : <span aria-hidden="true">Image not available offline</span>}
        </div>
      )}
      {item.caption || item.credit ? (
        <figcaption>
          {item.caption}
          {item.caption && item.credit ? ' ' : null}
          {item.credit ? <span className="question-figure-credit">{item.credit}</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}
